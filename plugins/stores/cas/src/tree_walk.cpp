#include "tree_walk.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <rkt/support/archive/fd_budget.hpp>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "errors.hpp"
#include "fs_util.hpp"

namespace rkt::cas {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

class Walk {
 public:
  Walk(const std::string& root, const std::function<bool(const TreeEntry&)>& visit)
      : root_(root), visit_(visit), maxHeld_(rkt::archive::descriptorBudget(128)) {}

  // `anchor`: the deepest held directory above `rel` (`anchorLength`: the length of its rel).
  void dir(posix::UniqueFd fd, const std::string& rel, int depth, int anchor,
           std::size_t anchorLength) {
    const std::string path = rel.empty() ? root_ : root_ + "/" + rel;
    std::vector<std::string> names = directoryNames(fd.get(), path);
    std::sort(names.begin(), names.end());  // byte order, as Go sorts strings
    const bool hold = static_cast<std::size_t>(depth) < maxHeld_;
    const int childAnchor = hold ? fd.get() : anchor;
    const std::size_t childAnchorLength = hold ? rel.size() : anchorLength;
    for (const std::string& name : names) {
      if (!fd.valid()) {
        const std::string fromAnchor = anchorLength == 0 ? rel : rel.substr(anchorLength + 1);
        fd.reset(::openat(anchor, fromAnchor.c_str(), kDirFlags));
        if (!fd.valid()) {
          throwSys("cannot open directory " + named(path));
        }
      }
      const std::string childRel = rel.empty() ? name : rel + "/" + name;
      struct stat st {};
      if (::fstatat(fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        throwSys("cannot stat " + named(root_ + "/" + childRel));
      }
      posix::UniqueFd sub;
      if (S_ISDIR(st.st_mode)) {
        sub.reset(::openat(fd.get(), name.c_str(), kDirFlags));
        if (!sub.valid()) {
          throwSys("cannot open directory " + named(root_ + "/" + childRel));
        }
      }
      if (visit_(TreeEntry{fd.get(), name, childRel, st, sub.valid() ? sub.get() : -1}) &&
          sub.valid()) {
        if (!hold) {
          fd.reset();  // opened again for the next entry
        }
        dir(std::move(sub), childRel, depth + 1, childAnchor, childAnchorLength);
      }
    }
  }

 private:
  const std::string& root_;
  const std::function<bool(const TreeEntry&)>& visit_;
  const std::size_t maxHeld_;  // levels that keep their descriptor
};

}  // namespace

void walkTree(const std::string& root, const std::function<bool(const TreeEntry&)>& visit) {
  posix::UniqueFd fd(::open(root.c_str(), kDirFlags));
  if (!fd.valid()) {
    throwSys("cannot open tree " + named(root));
  }
  const int anchor = fd.get();
  Walk(root, visit).dir(std::move(fd), "", 0, anchor, 0);
}

std::string procPathOf(int dirFd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(dirFd) + "/" + name;
}

}  // namespace rkt::cas
