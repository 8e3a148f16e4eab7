#include "oci_layout.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/fsync.hpp"
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
  try {
    for (const std::string& d : {path_ + "/blobs", path_ + "/blobs/sha256"}) {
      if (::mkdir(d.c_str(), 0755) != 0) {
        ioError("create", d, errno);
      }
    }
    writeFile(path_ + "/oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
  } catch (...) {
    (void)posix::removeTree(path_);
    throw;
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
  Poco::JSON::Object::Ptr d = new Poco::JSON::Object(true);
  d->set("mediaType", manifest.mediaType);
  d->set("digest", manifest.digest);
  d->set("size", manifest.size);
  Poco::JSON::Object::Ptr p = new Poco::JSON::Object(true);
  p->set("architecture", platform.architecture);
  p->set("os", platform.os);
  if (!platform.variant.empty()) {
    p->set("variant", platform.variant);
  }
  d->set("platform", p);
  if (!refName.empty()) {
    Poco::JSON::Object::Ptr a = new Poco::JSON::Object(true);
    a->set("org.opencontainers.image.ref.name", refName);
    d->set("annotations", a);
  }
  Poco::JSON::Array::Ptr manifests = new Poco::JSON::Array;
  manifests->add(d);
  Poco::JSON::Object::Ptr index = new Poco::JSON::Object(true);
  index->set("schemaVersion", 2);
  index->set("mediaType", media::kOciIndex);
  index->set("manifests", manifests);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(index, out);
  // index.json comes last and atomically: a layout with an index is complete.
  const std::string tmp = path_ + "/.index.json.tmp";
  writeFile(tmp, out.str());
  if (::rename(tmp.c_str(), (path_ + "/index.json").c_str()) != 0) {
    ioError("write", path_ + "/index.json", errno);
  }
  (void)posix::fsyncDir(path_);
}

}  // namespace rkt::dockerfetcher
