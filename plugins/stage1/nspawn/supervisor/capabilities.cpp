#include "capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace rkt::nspawn {

std::uint64_t capabilityMask(const std::vector<unsigned>& capabilities) {
  std::uint64_t mask = 0;
  for (unsigned c : capabilities) {
    if (c < 64) {
      mask |= std::uint64_t{1} << c;
    }
  }
  return mask;
}

const char* limitBoundingSet(std::uint64_t keep) {
  for (unsigned c = 0; c < 64; ++c) {
    if ((keep & (std::uint64_t{1} << c)) != 0) {
      continue;
    }
    if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) {
      if (errno == EINVAL) {
        break;  // past the kernel's last capability
      }
      return "cannot limit the capability bounding set";
    }
  }
  return nullptr;
}

const char* clearInheritableCapabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) != 0) {
    return "cannot read the capabilities";
  }
  for (__user_cap_data_struct& d : data) {
    d.inheritable = 0;
  }
  if (::syscall(SYS_capset, &header, data) != 0) {
    return "cannot clear the inheritable capabilities";
  }
  // Kernels before 4.3 have no ambient set: nothing to clear there.
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    return "cannot clear the ambient capabilities";
  }
  return nullptr;
}

}  // namespace rkt::nspawn
