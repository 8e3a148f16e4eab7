#include "keeper_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::dhcp {

void writeState(int dirFd, const std::string& name, const KeeperState& state) {
  const std::string tmp = name + ".tmp";
  posix::UniqueFd fd(::openat(dirFd, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid() || !posix::writeAll(fd.get(), protocol::encode(state) + "\n") ||
      ::renameat(dirFd, tmp.c_str(), dirFd, name.c_str()) != 0) {
    const int e = errno;
    ::unlinkat(dirFd, tmp.c_str(), 0);
    throw std::runtime_error("cannot write the lease state `" + name + "`: " + posix::errnoText(e));
  }
}

std::optional<KeeperState> readState(int dirFd, const std::string& name) {
  auto text = posix::readFileAt(dirFd, name);
  if (!text) {
    if (text.error().sysErrno == ENOENT) {
      return std::nullopt;
    }
    throw sdk::Error(RKT_E_IO, text.error().message);
  }
  return protocol::decode<KeeperState>(*text);
}

std::string logFileName(const std::string& stateName) {
  return stateName.substr(0, stateName.size() - 5) + ".log";  // ".json" -> ".log"
}

void removeStateFiles(int dirFd, const std::string& name) {
  ::unlinkat(dirFd, name.c_str(), 0);
  ::unlinkat(dirFd, logFileName(name).c_str(), 0);
}

}  // namespace rkt::dhcp
