#include "local_image.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "rkt/sdk/plugin.hpp"
#include "sys_error.hpp"

namespace rkt::aciarchive {
namespace {

std::string absolute(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec) {
    throw sdk::Error(RKT_E_IO, "cannot resolve `" + path + "`: " + ec.message(), ec.value());
  }
  return abs.lexically_normal().string();
}

rkt_status statusFor(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return RKT_E_NOT_FOUND;
    case EACCES:
    case EPERM:
      return RKT_E_PERMISSION;
    default:
      return RKT_E_IO;
  }
}

// Opening (not just stat'ing) proves the file is readable by us, which is what the core needs.
void checkReadableFile(const std::string& what, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    throw sdk::Error(statusFor(err), "cannot open " + what + " `" + path + "`: " + errnoText(err),
                     err);
  }
  struct stat st {};
  int rc = ::fstat(fd, &st);
  int err = errno;
  ::close(fd);
  if (rc != 0) {
    throw sdk::Error(RKT_E_IO, "cannot stat " + what + " `" + path + "`: " + errnoText(err), err);
  }
  if (!S_ISREG(st.st_mode)) {
    throw sdk::Error(RKT_E_INVALID, "cannot open " + what + " `" + path + "`: not a regular file");
  }
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
    throw sdk::Error(RKT_E_INVALID, "cannot open ACI file `" + req.image + "`: empty path");
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

}  // namespace rkt::aciarchive
