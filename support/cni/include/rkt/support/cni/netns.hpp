// Entering a network namespace on the calling thread and coming back, the rule of
// rkt/abi/net.h (a plugin returns in the host netns), kept by a scope guard.
#ifndef RKT_SUPPORT_CNI_NETNS_HPP
#define RKT_SUPPORT_CNI_NETNS_HPP

#include <string>

namespace rkt::cni {

/// setns(2) into `target` for the guard's scope, then back into `home`. Throws sdk::Error when
/// it cannot enter; a failed return is fatal (abort): the thread would go on in the container.
class NetnsScope {
 public:
  NetnsScope(int target, int home);
  ~NetnsScope();
  NetnsScope(const NetnsScope&) = delete;
  NetnsScope& operator=(const NetnsScope&) = delete;

 private:
  int home_;
};

/// Writes `value` to /proc/sys/<key> ("net/ipv4/ip_forward") of the current thread's netns.
/// Throws sdk::Error unless `missingOk` and the key does not exist.
void writeSysctl(const std::string& key, const std::string& value, bool missingOk = false);

/// The inode of the calling thread's network namespace (to check the return rule).
unsigned long currentNetnsInode();

}  // namespace rkt::cni

#endif  // RKT_SUPPORT_CNI_NETNS_HPP
