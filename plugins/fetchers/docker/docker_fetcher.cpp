#include "docker_fetcher.hpp"

#include <sys/stat.h>

#include <set>

#include "blob_download.hpp"
#include "docker_reference.hpp"
#include "manifest.hpp"
#include "oci_layout.hpp"
#include "registry_session.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/support/http/cache_control.hpp"
#include "rkt/support/oci/import.hpp"

namespace rkt::dockerfetcher {
namespace {

constexpr std::size_t kMaxManifestSize = 4u << 20;

struct Manifest {
  std::string body;
  std::string contentType;
  std::string digest;  ///< of the body
};

// GET manifests/<reference>, checked against the digest asked for or the one the registry
// says it served.
Manifest getManifest(RegistrySession& session, const std::string& reference,
                     const std::string& shown) {
  std::unique_ptr<http::HttpResponse> r =
      session.send("GET", session.url("manifests/" + reference), {{"Accept", manifestAccept()}});
  if (r->status() == 404) {
    throw sdk::Error(RKT_E_NOT_FOUND, "image `" + shown + "` not found in its registry (" +
                                          r->url().toString() + ": 404)");
  }
  if (r->status() == 401 || r->status() == 403) {
    throw sdk::Error(RKT_E_PERMISSION,
                     "registry refused access to `" + shown + "`: " + r->statusLine());
  }
  if (r->status() != 200) {
    throw sdk::Error(RKT_E_NETWORK, "cannot get the manifest of `" + shown + "` from " +
                                        r->url().toString() + ": " + r->statusLine());
  }
  Manifest m;
  try {
    m.body = readBody(*r, kMaxManifestSize);
  } catch (const sdk::Error& e) {
    throw sdk::Error(e.code(), "cannot read the manifest of `" + shown + "`: " + e.what());
  }
  m.contentType = r->get("Content-Type");
  const bool pinned = reference.rfind("sha256:", 0) == 0;
  const std::string said = r->get("Docker-Content-Digest");
  // A schema 1 manifest's digest covers its canonical payload, without the JWS signature
  // (docker's rule): checked as every other, against the digest asked for and the served one.
  const bool schema1 = manifestKind(m.contentType, m.body) == ManifestKind::kSchema1;
  m.digest = schema1 ? schema1Digest(m.body, shown) : sha256Digest(m.body);
  if ((pinned && m.digest != reference) || (!said.empty() && said != m.digest)) {
    throw sdk::Error(RKT_E_INVALID, "manifest of `" + shown + "` does not match its digest (" +
                                        (pinned ? reference : said) + ", got " + m.digest +
                                        "): refusing the image");
  }
  return m;
}

}  // namespace

DockerFetcher::DockerFetcher(const std::string& /*configJson*/) {}

std::string DockerFetcher::fetch(const std::string& requestJson) {
  const auto req = protocol::decode<protocol::fetcher::FetchRequest>(requestJson);
  const DockerReference ref = parseDockerReference(req.image);
  const std::string shown = ref.toString();
  if (req.tmpDir.empty()) {
    throw sdk::Error(RKT_E_INVALID, "no tmp_dir to download `" + shown + "` into");
  }
  const bool stored = req.remote && !req.remote->key.empty() && !req.remote->etag.empty();
  protocol::fetcher::FetchResult result;
  // A digest names one manifest for ever: the image stored from it needs no request at all.
  if (stored && !ref.digest.empty() && req.remote->etag == ref.digest) {
    sdk::log(RKT_LOG_DEBUG, "`" + shown + "` is pinned to the stored manifest");
    result.cachedKey = req.remote->key;
    return protocol::encode(result);
  }

  RegistrySession session(ref, req);
  Manifest top = getManifest(session, ref.manifestReference(), shown);
  if (stored && req.remote->etag == top.digest) {
    sdk::log(RKT_LOG_DEBUG, "manifest of `" + shown + "` unchanged (" + top.digest + ")");
    result.cachedKey = req.remote->key;
    return protocol::encode(result);
  }

  const Platform platform = hostPlatform();
  Manifest image = top;
  if (manifestKind(top.contentType, top.body) == ManifestKind::kIndex) {
    const Descriptor chosen = selectPlatform(top.body, platform, shown);
    sdk::log(RKT_LOG_DEBUG, "using the " + platform.toString() + " manifest " + chosen.digest);
    image = getManifest(session, chosen.digest, shown);
    if (image.digest != chosen.digest) {
      throw sdk::Error(RKT_E_INVALID, "manifest of `" + shown + "` for " + platform.toString() +
                                          " does not match its digest: refusing the image");
    }
    if (manifestKind(image.contentType, image.body) == ManifestKind::kIndex) {
      throw sdk::Error(RKT_E_INVALID, "the " + platform.toString() + " entry of `" + shown +
                                          "` is an index again, not an image");
    }
  }

  OciLayout layout(req.tmpDir);
  OciImage oci;
  if (manifestKind(image.contentType, image.body) == ManifestKind::kSchema1) {
    // Read only: the layers come as they are, the config is made from the history.
    const Schema1Image s1 = readSchema1(image.body, shown);
    downloadBlobs(session, s1.layers, req.tmpDir, layout, shown);
    std::vector<std::string> diffIds;
    std::vector<int64_t> sizes;
    for (const Descriptor& l : s1.layers) {
      diffIds.push_back(fileDigest(layout.blobPath(l.digest), true));
      struct stat st {};
      ::stat(layout.blobPath(l.digest).c_str(), &st);
      sizes.push_back(static_cast<int64_t>(st.st_size));
    }
    oci = schema1ToOci(s1, diffIds, sizes);
    layout.writeBlob(oci.configJson);
  } else {
    oci = toOciImage(image.body, shown);
    std::vector<Descriptor> blobs{oci.config};
    // A layer the store holds is not downloaded: the store shares it (known_layers, ABI 1.7).
    const std::set<std::string> known(req.knownLayers.begin(), req.knownLayers.end());
    for (const Descriptor& l : oci.layers) {
      if (known.count(l.digest) == 0) {
        blobs.push_back(l);
      } else {
        sdk::log(RKT_LOG_DEBUG, "layer " + l.digest + " of `" + shown + "` is stored already");
      }
    }
    downloadBlobs(session, blobs, req.tmpDir, layout, shown);
  }
  const std::string manifestDigest = layout.writeBlob(oci.manifestJson);
  layout.writeIndex(
      {media::kOciManifest, manifestDigest, static_cast<int64_t>(oci.manifestJson.size())},
      platform, ref.digest.empty() ? ref.tag : ref.digest);

  // The layout becomes the ACI the core imports, by support/oci's entry point, with
  // docker2aci's naming (name = registry/repository, version = tag); the layout itself goes
  // when `layout` does.
  oci::ImportContext ctx;
  ctx.tmpDir = req.tmpDir;
  ctx.naming.name = ref.registry + "/" + ref.repository;
  ctx.naming.version = ref.tag.empty() ? ref.digest : ref.tag;
  ctx.naming.originalName = req.image;
  ctx.naming.registryUrl = ref.registry;
  ctx.naming.repository = ref.repository;
  // The layers go to the store as they are (each stored once, shared between images).
  if (Status s = oci::fillLayeredResult(layout.path(), "", ctx, result); !s) {
    throw sdk::Error(RKT_E_INVALID, s.error().message, s.error().sysErrno);
  }
  layout.release();
  result.remote = protocol::fetcher::RemoteRecord{};
  result.remote->etag = top.digest;  // what an `update` pull compares with the registry's
  result.remote->downloadTime = http::nowNs();
  // rkt: the image is the name's latest when the tag is `latest`.
  result.latest = ref.digest.empty() && ref.tag == "latest";
  return protocol::encode(result);
}

}  // namespace rkt::dockerfetcher
