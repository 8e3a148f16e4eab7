#include "manifest.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <sys/utsname.h>

#include <cstdint>
#include <iterator>
#include <sstream>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/archive/digest.hpp"

namespace rkt::dockerfetcher {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

[[noreturn]] void invalid(const std::string& shown, const std::string& why) {
  throw sdk::Error(RKT_E_INVALID, "invalid manifest of `" + shown + "`: " + why);
}

Object::Ptr parseObject(const std::string& body, const std::string& shown) {
  try {
    return Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    invalid(shown, "not a JSON object");
  }
}

std::string str(const Object::Ptr& o, const std::string& name) {
  return o->has(name) && o->get(name).isString() ? o->getValue<std::string>(name) : "";
}

Descriptor descriptorOf(const Object::Ptr& o, const std::string& shown) {
  Descriptor d;
  d.mediaType = str(o, "mediaType");
  d.digest = str(o, "digest");
  if (d.digest.rfind("sha256:", 0) != 0 || d.digest.size() != 71 ||
      d.digest.find_first_not_of("0123456789abcdef", 7) != std::string::npos) {
    invalid(shown, "descriptor digest `" + d.digest + "` is not sha256:<64 lowercase hex digits>");
  }
  if (!o->has("size") || !o->get("size").isInteger() || o->getValue<int64_t>("size") < 0) {
    invalid(shown, "descriptor of " + d.digest + " has no valid size");
  }
  d.size = o->getValue<int64_t>("size");
  return d;
}

std::string stringify(const Object::Ptr& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(o, out);
  return out.str();
}

// docker's media types in a manifest, as OCI names them.
std::string ociLayerType(const std::string& t) {
  if (t == "application/vnd.docker.image.rootfs.diff.tar.gzip") {
    return media::kOciLayerGzip;
  }
  if (t == "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip") {
    return "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  }
  if (t == "application/vnd.docker.image.rootfs.diff.tar") {
    return "application/vnd.oci.image.layer.v1.tar";
  }
  return t;
}

Object::Ptr descriptorJson(const Descriptor& d) {
  Object::Ptr o = new Object(true);  // keeps member order: mediaType, digest, size
  o->set("mediaType", d.mediaType);
  o->set("digest", d.digest);
  o->set("size", d.size);
  return o;
}

std::string ociManifestJson(const OciImage& image, const Object::Ptr& annotations) {
  Object::Ptr m = new Object(true);
  m->set("schemaVersion", 2);
  m->set("mediaType", media::kOciManifest);
  m->set("config", descriptorJson(image.config));
  Array::Ptr layers = new Array;
  for (const Descriptor& l : image.layers) {
    layers->add(descriptorJson(l));
  }
  m->set("layers", layers);
  if (annotations && annotations->size() > 0) {
    m->set("annotations", annotations);
  }
  return stringify(m);
}

}  // namespace

std::string manifestAccept() {
  return std::string(media::kOciIndex) + ", " + media::kDockerList + ", " + media::kOciManifest +
         ", " + media::kDockerManifest + ", " + media::kDockerSchema1Signed + ", " +
         media::kDockerSchema1 + ";q=0.9, application/json;q=0.5";
}

std::string sha256Digest(const std::string& data) {
  archive::Sha256 h;
  h.update(data.data(), data.size());
  return "sha256:" + h.hexDigest();
}

namespace {

std::string base64UrlDecode(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  return std::string(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
}

}  // namespace

std::string schema1Digest(const std::string& body, const std::string& shown) {
  const std::string what = "cannot read the schema 1 manifest signature of `" + shown + "`";
  try {
    Poco::JSON::Parser parser;
    auto manifest = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    Poco::JSON::Array::Ptr signatures = manifest->getArray("signatures");
    if (!signatures || signatures->size() == 0) {
      return sha256Digest(body);
    }
    Poco::JSON::Object::Ptr first = signatures->getObject(0);
    if (!first || !first->has("protected")) {
      throw sdk::Error(RKT_E_INVALID, what + ": no protected header");
    }
    Poco::JSON::Parser headerParser;
    auto header = headerParser.parse(base64UrlDecode(first->getValue<std::string>("protected")))
                      .extract<Poco::JSON::Object::Ptr>();
    const auto length = header->getValue<std::int64_t>("formatLength");
    if (length < 0 || static_cast<std::uint64_t>(length) > body.size()) {
      throw sdk::Error(RKT_E_INVALID, what + ": formatLength out of range");
    }
    return sha256Digest(body.substr(0, static_cast<size_t>(length)) +
                        base64UrlDecode(header->getValue<std::string>("formatTail")));
  } catch (const Poco::Exception& e) {
    throw sdk::Error(RKT_E_INVALID, what + ": " + e.displayText());
  }
}

std::string Platform::toString() const {
  return os + "/" + architecture + (variant.empty() ? "" : "/" + variant);
}

Platform hostPlatform() {
  struct utsname u {};
  ::uname(&u);
  const std::string m = u.machine;
  Platform p{"linux", m, ""};
  if (m == "x86_64") {
    p.architecture = "amd64";
  } else if (m == "i386" || m == "i486" || m == "i586" || m == "i686") {
    p.architecture = "386";
  } else if (m == "aarch64") {
    p.architecture = "arm64";
  } else if (m.rfind("armv7", 0) == 0) {
    p = {"linux", "arm", "v7"};
  } else if (m.rfind("armv6", 0) == 0) {
    p = {"linux", "arm", "v6"};
  }
  return p;
}

ManifestKind manifestKind(const std::string& contentType, const std::string& body) {
  std::string type = contentType.substr(0, contentType.find(';'));
  while (!type.empty() && type.back() == ' ') {
    type.pop_back();
  }
  if (type == media::kOciIndex || type == media::kDockerList) {
    return ManifestKind::kIndex;
  }
  if (type == media::kOciManifest || type == media::kDockerManifest) {
    return ManifestKind::kImage;
  }
  if (type == media::kDockerSchema1 || type == media::kDockerSchema1Signed) {
    return ManifestKind::kSchema1;
  }
  Object::Ptr o = parseObject(body, "the registry's answer");
  const std::string mt = str(o, "mediaType");
  if (mt == media::kOciIndex || mt == media::kDockerList || o->has("manifests")) {
    return ManifestKind::kIndex;
  }
  if (o->has("fsLayers") || (o->has("schemaVersion") && o->get("schemaVersion").isInteger() &&
                             o->getValue<int>("schemaVersion") == 1)) {
    return ManifestKind::kSchema1;
  }
  return ManifestKind::kImage;
}

Descriptor selectPlatform(const std::string& indexBody, const Platform& platform,
                          const std::string& shown) {
  Result<std::vector<oci::Descriptor>> entries =
      oci::parseIndex(indexBody, "invalid manifest list of `" + shown + "`");
  if (!entries) {
    throw sdk::Error(RKT_E_INVALID, entries.error().message);
  }
  std::string available;
  for (const oci::Descriptor& e : *entries) {
    if (e.os.empty()) {
      continue;  // not an image for a platform (attestations and the like)
    }
    available += (available.empty() ? "" : ", ") + Platform{e.os, e.arch, e.variant}.toString();
    if (e.os == platform.os && e.arch == platform.architecture &&
        (platform.variant.empty() || e.variant.empty() || e.variant == platform.variant)) {
      return Descriptor{e.mediaType, e.digest, e.size};
    }
  }
  throw sdk::Error(RKT_E_NOT_FOUND, "no image for " + platform.toString() + " in `" + shown +
                                        "` (it has: " + (available.empty() ? "none" : available) +
                                        ")");
}

OciImage toOciImage(const std::string& body, const std::string& shown) {
  Object::Ptr m = parseObject(body, shown);
  Object::Ptr config = m->getObject("config");
  Array::Ptr layers = m->getArray("layers");
  if (!config || !layers) {
    invalid(shown, "no `config` or `layers`");
  }
  OciImage image;
  image.config = descriptorOf(config, shown);
  if (image.config.mediaType == "application/vnd.docker.container.image.v1+json" ||
      image.config.mediaType.empty()) {
    image.config.mediaType = media::kOciConfig;
  }
  for (std::size_t i = 0; i < layers->size(); ++i) {
    Object::Ptr l = layers->getObject(i);
    if (!l) {
      invalid(shown, "a `layers` entry that is not an object");
    }
    Descriptor d = descriptorOf(l, shown);
    d.mediaType = ociLayerType(d.mediaType);
    image.layers.push_back(d);
  }
  image.manifestJson = ociManifestJson(image, m->getObject("annotations"));
  return image;
}

Schema1Image readSchema1(const std::string& body, const std::string& shown) {
  Object::Ptr m = parseObject(body, shown);
  Array::Ptr fsLayers = m->getArray("fsLayers");
  Array::Ptr history = m->getArray("history");
  if (!fsLayers || !history || fsLayers->size() != history->size() || fsLayers->size() == 0) {
    invalid(shown, "schema 1 `fsLayers` and `history` do not match");
  }
  Schema1Image image;
  // Entries are newest first; the layout wants the base first.
  for (std::size_t i = fsLayers->size(); i-- > 0;) {
    Object::Ptr layer = fsLayers->getObject(i);
    Object::Ptr h = history->getObject(i);
    if (!layer || !h) {
      invalid(shown, "schema 1 entries that are not objects");
    }
    Object::Ptr v1 = parseObject(str(h, "v1Compatibility"), shown);
    if (v1->has("throwaway") && v1->get("throwaway").isBoolean() &&
        v1->getValue<bool>("throwaway")) {
      continue;  // an empty layer docker never unpacks
    }
    Descriptor d;
    d.mediaType = media::kOciLayerGzip;
    d.digest = str(layer, "blobSum");
    if (d.digest.rfind("sha256:", 0) != 0 || d.digest.size() != 71) {
      invalid(shown, "blobSum `" + d.digest + "` is not a sha256 digest");
    }
    image.layers.push_back(d);
  }
  image.topV1Compatibility = str(history->getObject(0), "v1Compatibility");
  return image;
}

OciImage schema1ToOci(const Schema1Image& image, const std::vector<std::string>& diffIds,
                      const std::vector<int64_t>& sizes) {
  Object::Ptr config = parseObject(image.topV1Compatibility, "schema 1 history");
  for (const char* drop : {"id", "parent", "Size", "parent_id", "layer_id", "throwaway"}) {
    config->remove(drop);
  }
  Object::Ptr rootfs = new Object(true);
  rootfs->set("type", "layers");
  Array::Ptr ids = new Array;
  for (const std::string& id : diffIds) {
    ids->add(id);
  }
  rootfs->set("diff_ids", ids);
  config->set("rootfs", rootfs);
  const std::string configJson = stringify(config);

  OciImage out;
  out.config = {media::kOciConfig, sha256Digest(configJson),
                static_cast<int64_t>(configJson.size())};
  out.layers = image.layers;
  for (std::size_t i = 0; i < out.layers.size(); ++i) {
    out.layers[i].size = sizes[i];
  }
  out.manifestJson = ociManifestJson(out, nullptr);
  // The config is not a registry blob: the layout writes it from here.
  out.config.mediaType = media::kOciConfig;
  out.configJson = configJson;
  return out;
}

}  // namespace rkt::dockerfetcher
