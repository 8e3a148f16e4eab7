// Every path is opened relative to an fd of its already-opened parent, with O_NOFOLLOW, on both
// sides: nothing in either tree can redirect the copy through a symlink.
//
// The copy runs on a few threads (tar is one stream of system calls; a copy can be several): a
// directory's entries are split into chunks that any thread may copy; a subdirectory is created
// by the chunk that meets it and then listed by a task of its own. Each directory is finished
// (owner, mode, xattrs, times) by the thread that completes its last chunk, the root last of all.
#include "rkt/core/util/copy_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <rkt/support/archive/fd_budget.hpp>
#include <rkt/support/posix/unique_fd.hpp>

#include "util/task_pool.hpp"
#include "util/xattr_copy.hpp"

namespace rkt::util {
namespace {

using posix::UniqueFd;

// "." for the directory itself, else the entry name (for *at calls on a directory fd).
std::string procPath(int dirFd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(dirFd) + "/" + (name.empty() ? "." : name);
}

// The process umask without changing it (umask(2) can only be read by setting it, which races
// with other threads creating files). When it cannot be read, assume the worst: every mode then
// gets an explicit chmod.
mode_t currentUmask() {
  std::FILE* f = std::fopen("/proc/self/status", "re");
  if (f == nullptr) {
    return 0777;
  }
  char line[256];
  unsigned mask = 0777;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "Umask: %o", &mask) == 1) {
      break;
    }
  }
  std::fclose(f);
  return static_cast<mode_t>(mask & 0777);
}

// What a file got when it was created, so that finishing it can skip what is already right.
struct Created {
  uid_t uid;
  gid_t gid;
  mode_t mode;
};

// New files get the group of a setgid directory, else the process's effective group.
gid_t groupForNewFiles(const struct stat& dir) {
  return (dir.st_mode & S_ISGID) != 0 ? dir.st_gid : ::getegid();
}

struct Entry {
  std::string name;
  unsigned char type;  // d_type: DT_UNKNOWN when the filesystem does not say
};

// A directory being copied, both sides open. Shared by the tasks that copy its entries; the one
// that completes the last chunk finishes the directory, and the last reference closes it.
struct Dir {
  UniqueFd src;
  UniqueFd dst;
  std::string rel;    // "" for the root
  struct stat st {};  // the source's, applied when the directory is finished
  gid_t newGid = 0;   // the group a file created in `dst` gets (its own when it is setgid)
  std::vector<Entry> entries;
  std::atomic<std::size_t> unfinished{0};  // chunks of `entries` not copied yet
};
using DirPtr = std::shared_ptr<Dir>;

// Entries per task: one huge directory (/usr/bin) is shared by every thread too.
constexpr std::size_t kChunk = 128;

// How many directories may be open (two descriptors each, from creation until finished) before
// the ones met next are copied depth-first on the thread that meets them. Tasks run newest first,
// so the subdirectories one chunk opened are copied (and closed) before older chunks open more:
// this is rarely reached. When it is, the serial fallback holds two descriptors per level of
// depth, as a serial copy does. An eighth of the descriptor limit leaves the rest to the files in
// flight and to the caller.
std::size_t openDirLimit() {
  return rkt::archive::descriptorBudget(256);
}

class Copier {
 public:
  explicit Copier(int destRoot) : destRoot_(destRoot) {}

  CopyStats stats() const { return CopyStats{entries_.load(), bytes_.load()}; }

  // Copies the content of `root` on `threads` threads. The root itself is left unfinished (the
  // caller finishes it after everything) so that it keeps mode 0700 while being filled.
  Status copyContent(const DirPtr& root, unsigned threads) {
    pool_.push([this, root] { return list(root); });
    return pool_.run(threads);
  }

  // Owner, mode, xattrs and times of the entry open as `dst` (copied from `src`, also open).
  // `created`: what `dst` already has, when known; the calls that would not change it are saved.
  Status finishFd(int src, int dst, const struct stat& st, const std::string& rel,
                  const Created* created = nullptr) {
    const bool owned = created != nullptr && created->uid == st.st_uid && created->gid == st.st_gid;
    if (root_ && !owned && ::fchown(dst, st.st_uid, st.st_gid) != 0) {
      return fail(rel, "cannot change owner");
    }
    // chown clears setuid/setgid, so the mode comes after it.
    const bool modeSet = owned && created->mode == (st.st_mode & 07777);
    if (!modeSet && ::fchmod(dst, st.st_mode & 07777) != 0) {
      return fail(rel, "cannot change mode");
    }
    if (Status x = copyXattrs(XattrSide{src, {}}, XattrSide{dst, {}}, root_, subject(rel)); !x) {
      return x;
    }
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::futimens(dst, times) != 0) {
      return fail(rel, "cannot set times");
    }
    return {};
  }

  static std::string subject(const std::string& rel) {
    return "cannot copy `" + (rel.empty() ? std::string(".") : rel) + "`";
  }
  static Error fail(const std::string& rel, const std::string& what, int err = errno) {
    return sysError(subject(rel) + ": " + what, err);
  }

 private:
  Status readEntries(Dir& dir) {
    UniqueFd listFd(::openat(dir.src.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!listFd.valid()) {
      return fail(dir.rel, "cannot open directory");
    }
    DIR* d = ::fdopendir(listFd.get());
    if (d == nullptr) {
      return fail(dir.rel, "cannot read directory");
    }
    listFd.release();  // closedir closes it
    while (const dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") {
        dir.entries.push_back(Entry{n, e->d_type});
      }
    }
    ::closedir(d);
    return {};
  }

  // Lists `dir` and queues its entries in chunks (copying the first one right here).
  Status list(const DirPtr& dir) {
    if (Status s = readEntries(*dir); !s) {
      return s;
    }
    const std::size_t n = dir->entries.size();
    if (n == 0) {
      return finishDir(*dir);
    }
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    dir->unfinished.store(chunks);
    for (std::size_t c = 1; c < chunks; ++c) {
      pool_.push(
          [this, dir, c, n] { return copyChunk(dir, c * kChunk, std::min(n, (c + 1) * kChunk)); });
    }
    return copyChunk(dir, 0, std::min(n, kChunk));
  }

  Status copyChunk(const DirPtr& dir, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (pool_.failed()) {
        return {};  // the first error is the one reported
      }
      if (Status st = copyEntry(*dir, dir->entries[i]); !st) {
        return st;
      }
    }
    if (dir->unfinished.fetch_sub(1) == 1) {
      return finishDir(*dir);
    }
    return {};
  }

  // The serial fallback (see openDirLimit): `dir` with all its entries on this thread.
  Status copyHere(const DirPtr& dir) {
    if (Status s = readEntries(*dir); !s) {
      return s;
    }
    for (const Entry& e : dir->entries) {
      if (pool_.failed()) {
        return {};
      }
      if (Status st = copyEntry(*dir, e); !st) {
        return st;
      }
    }
    return finishDir(*dir);
  }

  // After the directory's own entries, so its times survive them; what its subdirectories get
  // later does not touch them. The root waits for the caller.
  Status finishDir(Dir& dir) {
    if (dir.rel.empty()) {
      return {};
    }
    --openDirs_;
    return finishFd(dir.src.get(), dir.dst.get(), dir.st, dir.rel);
  }

  // Owner, mode, xattrs and times of an entry that is not open (symlinks, nodes).
  Status finishAt(int srcDir, int dstDir, const std::string& name, const struct stat& st,
                  const std::string& rel) {
    if (root_ && ::fchownat(dstDir, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
      return fail(rel, "cannot change owner");
    }
    if (!S_ISLNK(st.st_mode) && ::fchmodat(dstDir, name.c_str(), st.st_mode & 07777, 0) != 0) {
      return fail(rel, "cannot change mode");
    }
    if (Status x = copyXattrs(XattrSide{-1, procPath(srcDir, name)},
                              XattrSide{-1, procPath(dstDir, name)}, root_, subject(rel));
        !x) {
      return x;
    }
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::utimensat(dstDir, name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      return fail(rel, "cannot set times");
    }
    return {};
  }

  // Creates the copy of directory `name` (mode 0700 while it is filled) and opens both sides,
  // while the parent is still unfinished (the parent may end up without search permission).
  Result<DirPtr> makeDir(const Dir& parent, const std::string& name, const std::string& rel,
                         const struct stat& st) {
    if (::mkdirat(parent.dst.get(), name.c_str(), 0700) != 0) {
      return fail(rel, "cannot create directory");
    }
    auto dir = std::make_shared<Dir>();
    dir->src = UniqueFd(
        ::openat(parent.src.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    dir->dst = UniqueFd(
        ::openat(parent.dst.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir->src.valid() || !dir->dst.valid()) {
      return fail(rel, "cannot open directory");
    }
    struct stat created {};
    if (::fstat(dir->dst.get(), &created) != 0) {
      return fail(rel, "cannot stat the copy");
    }
    dir->rel = rel;
    dir->st = st;
    dir->newGid = groupForNewFiles(created);
    ++openDirs_;
    return dir;
  }

  Status copyEntry(const Dir& parent, const Entry& e) {
    const int srcDir = parent.src.get();
    const int dstDir = parent.dst.get();
    const std::string& name = e.name;
    const std::string rel = parent.rel.empty() ? name : parent.rel + "/" + name;
    // A regular file (as the directory says) is opened first and checked through its
    // descriptor: one path lookup instead of two. O_NONBLOCK: should it have been replaced by a
    // FIFO meanwhile, opening it must not wait for a writer.
    UniqueFd in;
    struct stat st {};
    if (e.type == DT_REG) {
      in = UniqueFd(::openat(srcDir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
      if (in.valid()) {
        if (::fstat(in.get(), &st) != 0) {
          return fail(rel, "cannot stat");
        }
        if (!S_ISREG(st.st_mode)) {
          in = UniqueFd();
        }
      }
    }
    if (!in.valid() && ::fstatat(srcDir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return fail(rel, "cannot stat");
    }
    if (S_ISSOCK(st.st_mode)) {
      return {};  // sockets belong to running processes, not to images
    }
    entries_.fetch_add(1, std::memory_order_relaxed);
    // The first thread to meet a multi-linked inode registers it and creates its copy before it
    // lets go of the lock: whoever meets another name of it can link at once.
    std::unique_lock<std::mutex> firstLink;
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
      firstLink = std::unique_lock<std::mutex>(linksMutex_);
      auto [it, inserted] = links_.emplace(std::make_pair(st.st_dev, st.st_ino), rel);
      if (!inserted) {
        const std::string first = it->second;
        firstLink.unlock();
        if (::linkat(destRoot_, first.c_str(), dstDir, name.c_str(), 0) != 0) {
          return fail(rel, "cannot link to `" + first + "`");
        }
        return {};
      }
    }
    if (S_ISDIR(st.st_mode)) {
      Result<DirPtr> dir = makeDir(parent, name, rel, st);
      if (!dir) {
        return dir.error();
      }
      if (openDirs_.load() > maxOpenDirs_) {
        return copyHere(*dir);
      }
      pool_.push([this, d = std::move(*dir)] { return list(d); });
      return {};
    }
    if (S_ISREG(st.st_mode)) {
      if (!in.valid()) {
        in = UniqueFd(
            ::openat(srcDir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        if (!in.valid()) {
          return fail(rel, "cannot open");
        }
      }
      return copyFile(in.get(), parent, name, st, rel, firstLink);
    }
    if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
      const ssize_t n = ::readlinkat(srcDir, name.c_str(), target.data(), target.size());
      if (n < 0) {
        return fail(rel, "cannot read symlink");
      }
      target.resize(static_cast<std::size_t>(n));
      if (::symlinkat(target.c_str(), dstDir, name.c_str()) != 0) {
        return fail(rel, "cannot create symlink");
      }
    } else if (::mknodat(dstDir, name.c_str(), st.st_mode, st.st_rdev) != 0) {
      return fail(rel, "cannot create node");
    }
    if (firstLink.owns_lock()) {
      firstLink.unlock();
    }
    return finishAt(srcDir, dstDir, name, st, rel);
  }

  // `firstLink`: held when this is the first copy of a multi-linked inode; let go once created.
  Status copyFile(int in, const Dir& parent, const std::string& name, const struct stat& st,
                  const std::string& rel, std::unique_lock<std::mutex>& firstLink) {
    // Created with its final permission bits (the umask may take some away): the directory is
    // still 0700 while it is filled, so nobody else can open it meanwhile.
    const mode_t perm = st.st_mode & 0777;
    UniqueFd out(::openat(parent.dst.get(), name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, perm));
    if (!out.valid()) {
      return fail(rel, "cannot create");
    }
    if (firstLink.owns_lock()) {
      firstLink.unlock();
    }
    Result<std::uint64_t> n = copyFileData(in, out.get(), "cannot copy `" + rel + "`",
                                           static_cast<std::uint64_t>(st.st_size));
    if (!n) {
      return n.error();
    }
    bytes_.fetch_add(*n, std::memory_order_relaxed);
    const Created created{euid_, parent.newGid, perm & ~umask_};
    return finishFd(in, out.get(), st, rel, &created);
  }

  const uid_t euid_ = ::geteuid();
  const bool root_ = euid_ == 0;
  const mode_t umask_ = currentUmask();
  const int destRoot_;
  const std::size_t maxOpenDirs_ = openDirLimit();
  TaskPool pool_{"cannot copy"};
  std::atomic<std::size_t> openDirs_{0};  // made by makeDir and not finished yet
  std::atomic<std::uint64_t> entries_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::mutex linksMutex_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;  // source inode -> first copy
};

// Threads for one copy: one per core, at most four. The copy is made of system calls on mostly
// small files; beyond a few threads they would mostly wait on the same directories' locks (only
// two cores were there to measure: 230 ms serial, 140 ms on two threads for 20,000 files).
unsigned copyThreads(unsigned requested) {
  if (requested > 0) {
    return requested;
  }
  return std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
}

}  // namespace

Result<CopyStats> copyTree(const std::string& src, const std::string& dest, unsigned threads) {
  struct stat st {};
  if (::lstat(src.c_str(), &st) != 0) {
    return sysError("cannot copy `" + src + "`");
  }
  if (!S_ISDIR(st.st_mode)) {
    return Error{"cannot copy `" + src + "`: not a directory", ENOTDIR};
  }
  if (::mkdir(dest.c_str(), 0700) != 0) {
    return sysError("cannot create `" + dest + "`");
  }
  auto root = std::make_shared<Dir>();
  root->src = UniqueFd(::open(src.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root->src.valid()) {
    return sysError("cannot open `" + src + "`");
  }
  root->dst = UniqueFd(::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root->dst.valid()) {
    return sysError("cannot open `" + dest + "`");
  }
  struct stat created {};
  if (::fstat(root->dst.get(), &created) != 0) {
    return sysError("cannot stat `" + dest + "`");
  }
  root->st = st;
  root->newGid = groupForNewFiles(created);
  Copier c(root->dst.get());
  if (Status r = c.copyContent(root, copyThreads(threads)); !r) {
    return r.error();
  }
  if (Status r = c.finishFd(root->src.get(), root->dst.get(), st, ""); !r) {
    return r.error();
  }
  return c.stats();
}

}  // namespace rkt::util
