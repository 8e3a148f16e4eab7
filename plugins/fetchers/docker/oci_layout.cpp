#include "oci_layout.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/oci/layout.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::dockerfetcher {
namespace {

[[noreturn]] void ioError(const std::string& what, const std::string& path, int err) {
  throw sdk::Error(RKT_E_IO, "cannot " + what + " `" + path + "`: " + posix::errnoText(err), err);
}

void writeFile(const std::string& path, const std::string& data) {
  posix::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd.valid()) {
    ioError("create", path, errno);
  }
  if (!posix::writeAll(fd.get(), data) || ::fsync(fd.get()) != 0) {
    ioError("write", path, errno);
  }
}

}  // namespace

OciLayout::OciLayout(const std::string& tmpDir) {
  std::string tmpl = tmpDir + "/docker-layout-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    ioError("create a directory in", tmpDir, errno);
  }
  path_ = buf.data();
  if (Status st = oci::initLayout(path_); !st) {
    (void)posix::removeTree(path_);
    throw sdk::Error(RKT_E_IO, st.error().message, st.error().sysErrno);
  }
}

OciLayout::~OciLayout() {
  if (!path_.empty()) {
    (void)posix::removeTree(path_);
  }
}

std::string OciLayout::blobPath(const std::string& digest) const {
  return path_ + "/blobs/sha256/" + digest.substr(digest.find(':') + 1);
}

void OciLayout::adoptBlob(const std::string& digest, const std::string& file) {
  const std::string to = blobPath(digest);
  if (::rename(file.c_str(), to.c_str()) != 0) {
    ioError("move the download into", to, errno);
  }
}

std::string OciLayout::writeBlob(const std::string& data) {
  const std::string digest = sha256Digest(data);
  if (::access(blobPath(digest).c_str(), F_OK) != 0) {
    writeFile(blobPath(digest), data);
  }
  return digest;
}

void OciLayout::writeIndex(const Descriptor& manifest, const Platform& platform,
                           const std::string& refName) {
  oci::Descriptor d;
  d.mediaType = manifest.mediaType;
  d.digest = manifest.digest;
  d.size = manifest.size;
  d.os = platform.os;
  d.arch = platform.architecture;
  d.variant = platform.variant;
  if (!refName.empty()) {
    d.annotations[oci::kRefNameAnnotation] = refName;
  }
  if (Status st = oci::writeIndex(path_, {d}); !st) {
    throw sdk::Error(RKT_E_IO, st.error().message, st.error().sysErrno);
  }
}

}  // namespace rkt::dockerfetcher
