// host-local's store, byte-compatible with the reference plugin's /var/lib/cni/networks/<net>
// (cni-notes §2.6) so leases survive a switch between the two: one file per address, named by
// the address, holding "<container id>\r\n<ifname>" (rkt-era files: the id alone), created with
// O_EXCL (existence is the reservation); `last_reserved_ip.<set>` for the round robin; every
// operation under flock(LOCK_EX) of `lock`.
#ifndef RKT_PLUGINS_IPAM_HOST_LOCAL_LEASE_STORE_HPP
#define RKT_PLUGINS_IPAM_HOST_LOCAL_LEASE_STORE_HPP

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rkt/support/cni/ip.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::hostlocal {

/// Who holds an address.
struct Holder {
  std::string containerId;
  std::string ifName;  ///< empty for a rkt-era file
};

/// The store of one network, locked from construction to destruction. Throws sdk::Error.
class LeaseStore {
 public:
  LeaseStore(const std::string& dataDir, const std::string& network);

  /// Takes `ip` for `holder`; false when it is taken already.
  bool reserve(const cni::Ip& ip, const Holder& holder, std::size_t rangeSet);
  std::optional<cni::Ip> lastReserved(std::size_t rangeSet) const;
  /// The addresses `holder` has (a rkt-era file matches on the id alone).
  std::vector<cni::Ip> addressesOf(const Holder& holder) const;
  /// Releases every address for which `release(holder)` is true; returns how many.
  std::size_t releaseIf(const std::function<bool(const Holder&)>& release);
  void releaseAll(const Holder& holder);

 private:
  std::vector<std::pair<std::string, Holder>> entries() const;

  std::string dir_;
  posix::UniqueFd dirFd_;
  posix::UniqueFd lock_;
};

}  // namespace rkt::hostlocal

#endif  // RKT_PLUGINS_IPAM_HOST_LOCAL_LEASE_STORE_HPP
