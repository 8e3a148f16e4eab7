#include <rkt/support/archive/fd_budget.hpp>

#include <sys/resource.h>

#include <algorithm>

namespace rkt::archive {

std::size_t descriptorBudget(std::size_t most) {
  struct rlimit l {};
  if (::getrlimit(RLIMIT_NOFILE, &l) != 0 || l.rlim_cur == RLIM_INFINITY)
    return most;
  return std::clamp<std::size_t>(static_cast<std::size_t>(l.rlim_cur / 8), 4,
                                 std::max<std::size_t>(most, 4));
}

}  // namespace rkt::archive
