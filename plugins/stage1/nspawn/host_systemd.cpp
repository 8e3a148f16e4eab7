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

constexpr char kSystemdRunDir[] = "/run/systemd/system";
constexpr char kSystemBus[] = "/run/dbus/system_bus_socket";
constexpr char kMachinesDir[] = "/run/systemd/machines";
constexpr char kMachinedService[] =
    "/usr/share/dbus-1/system-services/org.freedesktop.machine1.service";

bool isDirectory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool socketAccepts(const std::string& path) {
  posix::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  if (!fd.valid() || path.size() >= sizeof addr.sun_path) {
    return false;
  }
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace

HostSystemd probeHostSystemd(const std::string& root) {
  HostSystemd host;
  host.runsSystemd = isDirectory(root + kSystemdRunDir);
  host.machinedReachable = host.runsSystemd && socketAccepts(root + kSystemBus) &&
                           (isDirectory(root + kMachinesDir) || exists(root + kMachinedService));
  const char* id = std::getenv("INVOCATION_ID");
  host.inUnit = id != nullptr && *id != '\0';
  return host;
}

Registration decideRegistration(const HostSystemd& host) {
  Registration r;
  r.registerMachine = host.machinedReachable;
  r.keepUnit = host.inUnit || !r.registerMachine;
  r.linkJournal = host.runsSystemd;
  return r;
}

}  // namespace rkt::nspawn
