// route_localnet=1 on the interfaces holding the forwardable network's host address, as rkt
// does (networking/portfwd.go): the kernel otherwise drops packets with source 127.0.0.1 that
// leave the host, so DNAT from localhost to the pod would not work.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <fcntl.h>

#include <cerrno>
#include <set>

#include "rkt/support/netfilter/netfilter.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt {
namespace netfilter {

Result<int> enableRouteLocalnet(const std::string& hostIp) {
  in_addr want{};
  if (::inet_pton(AF_INET, hostIp.c_str(), &want) != 1) {
    return Error{"invalid host IP `" + hostIp + "`: not an IPv4 address"};
  }
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) {
    return sysError("cannot list network interfaces");
  }
  std::set<std::string> names;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr != nullptr && i->ifa_addr->sa_family == AF_INET &&
        reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr == want.s_addr) {
      names.insert(i->ifa_name);
    }
  }
  ::freeifaddrs(list);
  for (const auto& name : names) {
    const std::string path = "/proc/sys/net/ipv4/conf/" + name + "/route_localnet";
    posix::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid() || !posix::writeAll(fd.get(), "1")) {
      return sysError("cannot enable route_localnet on `" + name + "`");
    }
  }
  return static_cast<int>(names.size());
}

}  // namespace netfilter
}  // namespace rkt
