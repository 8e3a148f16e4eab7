#include "oci_fetcher.hpp"

#include <Poco/Path.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/support/archive/extract.hpp"
#include "rkt/support/oci/import.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/remove_tree.hpp"

namespace rkt::ocifetch {
namespace {

using protocol::fetcher::FetchRequest;
using protocol::fetcher::FetchResult;

[[noreturn]] void fail(const Error& e, rkt_status code = RKT_E_INVALID) {
  throw sdk::Error(e.sysErrno == ENOENT ? RKT_E_NOT_FOUND : code, e.message, e.sysErrno);
}

std::string absolute(const std::string& path) {
  Poco::Path p(path);
  p.makeAbsolute();
  std::string s = p.toString();
  while (s.size() > 1 && s.back() == '/') {
    s.pop_back();
  }
  return s;
}

// A directory below tmp_dir that is removed when the fetch returns.
struct TempDir {
  std::string path;
  ~TempDir() {
    if (!path.empty()) {
      (void)posix::removeTree(path);
    }
  }
};

}  // namespace

OciReference parseOciReference(const std::string& image) {
  OciReference r;
  auto colon = image.find(':');
  if (colon == std::string::npos) {
    throw sdk::Error(RKT_E_INVALID, "invalid OCI image reference `" + image + "`");
  }
  r.scheme = image.substr(0, colon);
  for (char& c : r.scheme) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (r.scheme != "oci" && r.scheme != "oci-archive") {
    throw sdk::Error(RKT_E_INVALID, "invalid OCI image reference `" + image +
                                        "`: expected oci:PATH[:REF] or oci-archive:FILE[:REF]");
  }
  std::string rest = image.substr(colon + 1);
  auto sep = rest.find(':');
  r.path = rest.substr(0, sep);
  if (sep != std::string::npos) {
    r.ref = rest.substr(sep + 1);
  }
  if (r.path.empty()) {
    throw sdk::Error(RKT_E_INVALID, "invalid OCI image reference `" + image + "`: no " +
                                        (r.scheme == "oci" ? "layout directory" : "archive file"));
  }
  r.path = absolute(r.path);
  return r;
}

std::pair<std::string, std::string> ociImageName(const std::string& path, const std::string& ref) {
  auto colon = ref.rfind(':');
  auto slash = ref.rfind('/');
  bool nameTag = colon != std::string::npos && colon > 0 && colon + 1 < ref.size() &&
                 (slash == std::string::npos || slash < colon) && ref.compare(0, 7, "sha256:") != 0;
  if (nameTag) {
    return {ref.substr(0, colon), ref.substr(colon + 1)};
  }
  auto base = path.rfind('/');
  std::string dir = base == std::string::npos ? path : path.substr(base + 1);
  if (dir.empty()) {
    dir = "oci";
  }
  return {dir, ref.empty() || ref.compare(0, 7, "sha256:") == 0 ? "latest" : ref};
}

OciFetcher::OciFetcher(const std::string& /*configJson*/) {}

std::string OciFetcher::fetch(const std::string& requestJson) {
  const auto req = protocol::decode<FetchRequest>(requestJson);
  const OciReference ref = parseOciReference(req.image);
  if (req.tmpDir.empty()) {
    throw sdk::Error(RKT_E_INVALID, "cannot fetch `" + req.image + "`: no tmp_dir");
  }
  struct stat st {};
  if (::stat(ref.path.c_str(), &st) != 0) {
    fail(sysError("cannot open `" + ref.path + "`"));
  }
  TempDir unpacked;
  std::string layoutDir = ref.path;
  if (ref.scheme == "oci-archive") {
    if (!S_ISREG(st.st_mode)) {
      fail(Error{"cannot read OCI archive `" + ref.path + "`: not a regular file"});
    }
    std::string tmpl = req.tmpDir + "/oci-archive-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) {
      fail(sysError("cannot create a directory in `" + req.tmpDir + "`"), RKT_E_IO);
    }
    unpacked.path = buf.data();
    archive::ExtractOptions options;
    options.context = "cannot read OCI archive `" + ref.path + "`";
    options.onExisting = archive::OnExisting::Fail;
    options.preserveOwnership = false;  // blobs and JSON only: the owner does not matter
    auto stats = archive::extractTar(ref.path, unpacked.path, options);
    if (!stats) {
      fail(stats.error());
    }
    layoutDir = unpacked.path;
  } else if (!S_ISDIR(st.st_mode)) {
    fail(Error{"cannot read OCI layout `" + ref.path + "`: not a directory"});
  }

  auto [name, version] = ociImageName(ref.path, ref.ref);
  oci::ImportContext ctx;
  ctx.tmpDir = req.tmpDir;
  ctx.naming.name = name;
  ctx.naming.version = version;
  ctx.naming.originalName = req.image;
  ctx.naming.repository = name;
  FetchResult result;
  // The layers go to the store as they are: an archive's from its unpacked copy under tmp_dir
  // (the core's to remove), a layout's from the user's directory.
  if (Status s = oci::fillLayeredResult(layoutDir, ref.ref, ctx, result); !s) {
    fail(s.error());
  }
  unpacked.path.clear();
  result.latest = version == "latest";
  return protocol::encode(result);
}

}  // namespace rkt::ocifetch
