#include "rkt/support/fetch/local_image.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "rkt/base/file_type.hpp"
#include "rkt/base/shorten.hpp"
#include "rkt/sdk/plugin.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::fetch {
namespace {

std::string absolute(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec) {
    throw sdk::Error(RKT_E_IO, "cannot resolve `" + path + "`: " + ec.message(), ec.value());
  }
  return abs.lexically_normal().string();
}

// Only a regular file is an image or a signature: a named pipe would block the open (and the
// core's reads) forever, a device would be read without end, so anything else is refused before
// it is read. Opening (not just stat'ing) proves the file is readable by us, which the core needs.
void checkReadableFile(const std::string& what, const std::string& path) {
  struct stat st {};
  const int fd = openRegularFile(path.c_str(), st);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  const int err = errno;
  const std::string context = "cannot open " + what + " `" + shownName(path) + "`";
  if (isNotRegular(st)) {
    throw sdk::Error(RKT_E_INVALID, context + ": " + notRegularFile(st.st_mode));
  }
  posix::throwSys(context, err);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string ascPathFor(const std::string& imagePath) {
  static const std::string kAci = ".aci";
  std::string base = imagePath;
  if (base.size() >= kAci.size() &&
      base.compare(base.size() - kAci.size(), kAci.size(), kAci) == 0) {
    base.resize(base.size() - kAci.size());
  }
  return base + ".aci.asc";
}

std::string signatureFile(const std::string& path) {
  std::string abs = absolute(path);
  checkReadableFile("signature file", abs);
  return abs;
}

FetchResult fetchLocalImage(const std::string& path, const FetchRequest& req) {
  if (path.empty()) {
    throw sdk::Error(RKT_E_INVALID,
                     "cannot open ACI file `" + shownName(req.image) + "`: empty path");
  }
  FetchResult result;
  result.path = absolute(path);
  checkReadableFile("ACI file", result.path);
  if (!req.signature.empty()) {
    result.signaturePath = signatureFile(req.signature);
  } else {
    std::string asc = ascPathFor(result.path);
    if (exists(asc)) {
      checkReadableFile("signature file", asc);
      result.signaturePath = asc;
    }
  }
  sdk::log(RKT_LOG_DEBUG, "using image from file " + result.path);
  return result;
}

}  // namespace rkt::fetch
