// The pod's --private-users range (private_users.hpp).
#include "rkt/core/pod/private_users.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <random>
#include <set>

#include "rkt/core/pod/layout.hpp"
#include "rkt/core/pod/state.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"
#include "sys.hpp"

namespace rkt::pod {
namespace {

// systemd's container uid range, in blocks of 65536 (nspawn's own `pick` uses the same).
constexpr std::uint32_t kFirstBlock = 0x0008;
constexpr std::uint32_t kLastBlock = 0x6FFF;

// The shifts every pod under `dirs` recorded, whatever its phase.
std::set<std::uint32_t> shiftsInUse(const PodDirs& dirs) {
  std::set<std::uint32_t> used;
  for (Phase phase : allPhases()) {
    const std::string dir = dirs.dir(phase);
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr)
      continue;
    while (const struct dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.')
        continue;
      posix::UniqueFd pod(
          ::open((dir + "/" + e->d_name).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
      if (!pod.valid())
        continue;
      if (Result<std::optional<UidRange>> r = readPrivateUsers(pod.get()); r && *r)
        used.insert((*r)->shift);
    }
    ::closedir(d);
  }
  return used;
}

}  // namespace

Result<UidRange> parseUidRange(const std::string& text) {
  std::string_view t = sys::trimSpace(text);
  size_t colon = t.find(':');
  long long shift = 0;
  long long count = 0;
  if (colon == std::string_view::npos || !sys::parseInt(t.substr(0, colon), shift) ||
      !sys::parseInt(t.substr(colon + 1), count) || shift < 0 || count < 0 || shift > UINT32_MAX ||
      count > UINT32_MAX) {
    return Error{"invalid uid range `" + std::string(t) + "`", EINVAL};
  }
  return UidRange{static_cast<std::uint32_t>(shift), static_cast<std::uint32_t>(count)};
}

std::string formatUidRange(const UidRange& range) {
  return std::to_string(range.shift) + ":" + std::to_string(range.count);
}

Result<std::optional<UidRange>> readPrivateUsers(int podDirFd) {
  Result<std::string> text = posix::readFileAt(podDirFd, layout::kPrivateUsersPrepared);
  if (!text) {
    if (text.error().sysErrno == ENOENT)
      return std::optional<UidRange>{};
    return text.error();
  }
  Result<UidRange> r = parseUidRange(*text);
  if (!r)
    return r.error().wrap("problem deserializing the content of private-users-prepared");
  return std::optional<UidRange>{*r};
}

Result<UidRange> choosePrivateUsers(const PodDirs& dirs) {
  const std::set<std::uint32_t> used = shiftsInUse(dirs);
  std::random_device seed;
  std::mt19937 gen(seed());
  std::uniform_int_distribution<std::uint32_t> block(kFirstBlock, kLastBlock);
  // Random first, as rkt; a full scan only when the random picks keep hitting used ranges.
  for (int attempt = 0; attempt < 64; ++attempt) {
    const std::uint32_t shift = block(gen) << 16;
    if (used.count(shift) == 0)
      return UidRange{shift, kPrivateUsersCount};
  }
  for (std::uint32_t b = kFirstBlock; b <= kLastBlock; ++b) {
    if (used.count(b << 16) == 0)
      return UidRange{b << 16, kPrivateUsersCount};
  }
  return Error{"no free range of " + std::to_string(kPrivateUsersCount) +
               " uids for --private-users"};
}

}  // namespace rkt::pod
