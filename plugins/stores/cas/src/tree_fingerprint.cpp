#include "tree_fingerprint.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "errors.hpp"
#include "fs_util.hpp"
#include "hash_util.hpp"
#include "tree_files.hpp"

namespace rkt::cas {
namespace {

// Deeper directories are reached by path instead of keeping one descriptor per level open.
constexpr int kMaxHeldDirFds = 128;

// The stat fields a record holds, in a fixed layout (no padding: every member is 8 bytes).
struct StatRecord {
  uint64_t ino, mode, uid, gid, nlink, size, rdev;
  int64_t mtimeSec, mtimeNsec, ctimeSec, ctimeNsec;
};

class FingerprintWalker {
 public:
  explicit FingerprintWalker(std::string root) : root_(std::move(root)) {}

  TreeFingerprint run() {
    UniqueFd fd(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) {
      throwSys("cannot open tree " + named(root_));
    }
    walkDir(std::move(fd), "", 0);
    // All records at once (~100 bytes per entry: 2 MB for 20,000 files).
    result_.digest = sha512Key(records_);
    return std::move(result_);
  }

 private:
  void walkDir(UniqueFd dirfd, const std::string& rel, int depth) {
    const std::string dirPath = rel.empty() ? root_ : root_ + "/" + rel;
    std::vector<std::string> names = directoryNames(dirfd.get(), dirPath);
    std::sort(names.begin(), names.end());
    const bool hold = depth < kMaxHeldDirFds;
    if (!hold) {
      dirfd.reset();
    }
    for (const auto& name : names) {
      if (rel.empty() && isTreeBookkeepingFile(name)) {
        continue;
      }
      const std::string childRel = rel.empty() ? name : rel + "/" + name;
      const std::string fullPath = root_ + "/" + childRel;
      const int at = hold ? dirfd.get() : AT_FDCWD;
      const char* atName = hold ? name.c_str() : fullPath.c_str();
      struct stat st {};
      if (::fstatat(at, atName, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        throwSys("cannot stat " + named(fullPath));
      }
      add(childRel, st);
      if (S_ISDIR(st.st_mode)) {
        UniqueFd sub(::openat(at, atName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!sub) {
          throwSys("cannot open directory " + named(fullPath));
        }
        walkDir(std::move(sub), childRel, depth + 1);
      }
    }
  }

  void add(const std::string& rel, const struct stat& st) {
    ++result_.entries;
    if (isLater(st.st_ctim, result_.newestChange)) {
      result_.newestChange = st.st_ctim;
    }
    const StatRecord r{st.st_ino,         st.st_mode,        st.st_uid,
                       st.st_gid,         st.st_nlink,       static_cast<uint64_t>(st.st_size),
                       st.st_rdev,        st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                       st.st_ctim.tv_sec, st.st_ctim.tv_nsec};
    records_.append(rel.c_str(), rel.size() + 1);  // with its NUL: names cannot run together
    records_.append(reinterpret_cast<const char*>(&r), sizeof r);
  }

  std::string root_;
  std::string records_;
  TreeFingerprint result_;
};

}  // namespace

TreeFingerprint fingerprintTree(const std::string& treeDir) {
  return FingerprintWalker(treeDir).run();
}

bool isLater(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
}

}  // namespace rkt::cas
