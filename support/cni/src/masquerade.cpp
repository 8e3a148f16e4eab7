#include "rkt/support/cni/masquerade.hpp"

#include "rkt/support/netfilter/netfilter.hpp"

namespace rkt::cni {

namespace pc = protocol::cni;

void setupIpMasq(const pc::Request& r, const std::vector<std::string>& addresses) {
  // netfilter::available(): libnftables exits the process on a kernel without nf_tables.
  if (!netfilter::available()) {
    throw pc::Failure(pc::kInternal, "ipMasq of network `" + r.name +
                                         "` needs nf_tables, which this kernel lacks");
  }
  if (Status s = netfilter::addMasquerade({r.name, r.containerId, addresses}); !s) {
    throw pc::Failure(pc::kInternal, s.error().message);
  }
}

void teardownIpMasq(const pc::Request& r) {
  if (Status s = netfilter::removeMasquerade(r.name, r.containerId); !s) {
    throw pc::Failure(pc::kInternal, s.error().message);
  }
}

}  // namespace rkt::cni
