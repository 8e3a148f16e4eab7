#include "notify.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <sstream>

#include "rkt/support/appexec/sys.hpp"

namespace rkt::nspawn {

namespace {

// sockaddr_un for `path` ('@' = abstract); returns its length, 0 when it does not fit.
socklen_t unixAddress(const std::string& path, sockaddr_un& addr) {
  addr = sockaddr_un{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    return 0;
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  if (path[0] == '@') {
    addr.sun_path[0] = '\0';
  }
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                (path[0] == '@' ? 0 : 1));
}

}  // namespace

posix::UniqueFd bindNotifySocket(const std::string& path) {
  sockaddr_un addr{};
  const socklen_t len = unixAddress(path, addr);
  if (len == 0) {
    appexec::fail(RKT_E_INVALID, "notify socket path `" + path + "` is too long");
  }
  posix::UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) {
    posix::throwSys("cannot create a notify socket");
  }
  ::unlink(path.c_str());
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    posix::throwSys("cannot bind the notify socket `" + path + "`");
  }
  // The app may run as any user.
  ::chmod(path.c_str(), 0666);
  return fd;
}

bool receivedReady(int fd) {
  char buf[4096];
  const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  if (n <= 0) {
    return false;
  }
  std::istringstream in(std::string(buf, static_cast<std::size_t>(n)));
  std::string line;
  while (std::getline(in, line)) {
    if (line == "READY=1") {
      return true;
    }
  }
  return false;
}

void notifyParent(const std::string& message) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  sockaddr_un addr{};
  const socklen_t len = path != nullptr ? unixAddress(path, addr) : 0;
  if (len == 0) {
    return;
  }
  posix::UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.valid()) {
    ::sendto(fd.get(), message.data(), message.size(), MSG_NOSIGNAL,
             reinterpret_cast<sockaddr*>(&addr), len);
  }
}

}  // namespace rkt::nspawn
