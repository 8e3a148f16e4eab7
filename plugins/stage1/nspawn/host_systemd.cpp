#include "host_systemd.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

namespace {

constexpr char kSystemBus[] = "/run/dbus/system_bus_socket";

bool isDirectory(const char* path) {
  struct stat st {};
  return ::stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const char* path) {
  struct stat st {};
  return ::stat(path, &st) == 0;
}

bool socketAccepts(const char* path) {
  posix::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    return false;
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace

bool hostRunsSystemd() {
  return isDirectory("/run/systemd/system");
}

bool machinedReachable() {
  if (!hostRunsSystemd() || !socketAccepts(kSystemBus)) {
    return false;
  }
  return isDirectory("/run/systemd/machines") ||
         exists("/usr/share/dbus-1/system-services/org.freedesktop.machine1.service");
}

bool startedFromUnit() {
  const char* id = std::getenv("INVOCATION_ID");
  return id != nullptr && *id != '\0';
}

}  // namespace rkt::nspawn
