#include "lease_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::hostlocal {

namespace {

constexpr const char kLastReserved[] = "last_reserved_ip.";

// mkdir -p with mode 0755, as the reference's os.MkdirAll.
void makeDirs(const std::string& path) {
  std::string sofar;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    sofar = path.substr(0, pos);
    if (!sofar.empty() && ::mkdir(sofar.c_str(), 0755) != 0 && errno != EEXIST) {
      posix::throwSys("cannot create `" + sofar + "`");
    }
  }
}

std::string trimSpace(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

LeaseStore::LeaseStore(const std::string& dataDir, const std::string& network)
    : dir_(dataDir + "/" + network) {
  if (network.empty() || network.find('/') != std::string::npos || network == "." ||
      network == "..") {
    throw sdk::Error(RKT_E_INVALID, "invalid network name `" + network + "` for host-local");
  }
  makeDirs(dir_);
  dirFd_.reset(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dirFd_.valid()) {
    posix::throwSys("cannot open `" + dir_ + "`");
  }
  // 0750, the mode the reference's lock file has (cni-notes §4.2: -rwxr-x---).
  lock_.reset(::openat(dirFd_.get(), "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0750));
  if (!lock_.valid() || ::flock(lock_.get(), LOCK_EX) != 0) {
    posix::throwSys("cannot lock `" + dir_ + "/lock`");
  }
}

bool LeaseStore::reserve(const cni::Ip& ip, const Holder& holder, std::size_t rangeSet) {
  const std::string name = ip.str();
  posix::UniqueFd fd(
      ::openat(dirFd_.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd.valid()) {
    if (errno == EEXIST) {
      return false;
    }
    posix::throwSys("cannot create `" + dir_ + "/" + name + "`");
  }
  if (!posix::writeAll(fd.get(), holder.containerId + "\r\n" + holder.ifName)) {
    const int err = errno;
    ::unlinkat(dirFd_.get(), name.c_str(), 0);
    posix::throwSys("cannot write `" + dir_ + "/" + name + "`", err);
  }
  const std::string last = kLastReserved + std::to_string(rangeSet);
  posix::UniqueFd lastFd(
      ::openat(dirFd_.get(), last.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!lastFd.valid() || !posix::writeAll(lastFd.get(), name)) {
    const int err = errno;
    ::unlinkat(dirFd_.get(), name.c_str(), 0);
    posix::throwSys("cannot write `" + dir_ + "/" + last + "`", err);
  }
  return true;
}

std::optional<cni::Ip> LeaseStore::lastReserved(std::size_t rangeSet) const {
  auto text = posix::readFileAt(dirFd_.get(), kLastReserved + std::to_string(rangeSet));
  if (!text) {
    return std::nullopt;
  }
  return cni::Ip::parse(trimSpace(*text));
}

std::vector<std::pair<std::string, Holder>> LeaseStore::entries() const {
  std::vector<std::pair<std::string, Holder>> out;
  posix::UniqueFd fd(::openat(dirFd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  DIR* d = fd.valid() ? ::fdopendir(fd.get()) : nullptr;
  if (d == nullptr) {
    posix::throwSys("cannot read `" + dir_ + "`");
  }
  fd.release();
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (!cni::Ip::parse(name)) {  // lock, last_reserved_ip.*, anything else
      continue;
    }
    auto text = posix::readFileAt(dirFd_.get(), name);
    if (!text) {
      continue;
    }
    const std::string content = trimSpace(*text);
    const auto sep = content.find("\r\n");
    Holder h;
    h.containerId = content.substr(0, sep);
    if (sep != std::string::npos) {
      h.ifName = content.substr(sep + 2);
    }
    out.emplace_back(name, h);
  }
  ::closedir(d);
  return out;
}

std::vector<cni::Ip> LeaseStore::addressesOf(const Holder& holder) const {
  std::vector<cni::Ip> out;
  for (const auto& [name, h] : entries()) {
    if (h.containerId == holder.containerId && (h.ifName.empty() || h.ifName == holder.ifName)) {
      out.push_back(*cni::Ip::parse(name));
    }
  }
  return out;
}

std::size_t LeaseStore::releaseIf(const std::function<bool(const Holder&)>& release) {
  std::size_t n = 0;
  for (const auto& [name, h] : entries()) {
    if (release(h)) {
      if (::unlinkat(dirFd_.get(), name.c_str(), 0) != 0 && errno != ENOENT) {
        posix::throwSys("cannot remove `" + dir_ + "/" + name + "`");
      }
      ++n;
    }
  }
  return n;
}

void LeaseStore::releaseAll(const Holder& holder) {
  releaseIf([&](const Holder& h) {
    return h.containerId == holder.containerId && (h.ifName.empty() || h.ifName == holder.ifName);
  });
}

}  // namespace rkt::hostlocal
