// How many descriptors a walk may keep open: at most `most`, and an eighth of the soft
// RLIMIT_NOFILE, leaving the rest to the files in flight and to the caller, so that extraction,
// the tree walks and copyTree work under `ulimit -n 128` as under the default. Free of
// libarchive (rkt_support_archive_file).
#ifndef RKT_SUPPORT_ARCHIVE_FD_BUDGET_HPP
#define RKT_SUPPORT_ARCHIVE_FD_BUDGET_HPP

#include <cstddef>

namespace rkt::archive {

/// An eighth of the descriptor limit, between 4 and `most` (`most` when unlimited).
std::size_t descriptorBudget(std::size_t most);

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_FD_BUDGET_HPP
