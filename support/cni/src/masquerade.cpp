#include "rkt/support/cni/masquerade.hpp"

#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rkt/support/netfilter/netfilter.hpp"

namespace rkt::cni {

namespace pc = protocol::cni;

namespace {
// Whether this kernel speaks nftables' netlink: libnftables exits the process (status 3) when
// it cannot open that socket, so it is asked first.
bool haveNfTables() {
  const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (fd < 0) {
    return false;
  }
  ::close(fd);
  return true;
}
}  // namespace

void setupIpMasq(const pc::Request& r, const std::vector<std::string>& addresses) {
  if (!haveNfTables()) {
    throw pc::Failure(pc::kInternal, "ipMasq of network `" + r.name +
                                         "` needs nf_tables, which this kernel lacks");
  }
  if (Status s = netfilter::addMasquerade({r.name, r.containerId, addresses}); !s) {
    throw pc::Failure(pc::kInternal, s.error().message);
  }
}

void teardownIpMasq(const pc::Request& r) {
  if (!haveNfTables()) {
    return;  // no nf_tables, so no rule of ours either
  }
  if (Status s = netfilter::removeMasquerade(r.name, r.containerId); !s) {
    throw pc::Failure(pc::kInternal, s.error().message);
  }
}

}  // namespace rkt::cni
