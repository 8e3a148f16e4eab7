// Ownership shifting and idmapped binds for pods in a user namespace (id_shift.hpp).
#include "rkt/support/posix/id_shift.hpp"

#include <fcntl.h>
#include <ftw.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::posix {
namespace {

// nftw has no user pointer: the walk in progress (one at a time; stage0 and stage1 are single
// threaded when they prepare a pod).
thread_local uid_t walkShift = 0;
thread_local int walkErrno = 0;
thread_local std::string walkFailed;

int shiftEntry(const char* path, const struct stat* st, int, struct FTW*) {
  const uid_t uid = st->st_uid < walkShift ? st->st_uid + walkShift : st->st_uid;
  const gid_t gid = st->st_gid < walkShift ? st->st_gid + walkShift : st->st_gid;
  if (uid == st->st_uid && gid == st->st_gid)
    return 0;
  if (::lchown(path, uid, gid) != 0 ||
      (!S_ISLNK(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)) != 0 &&
       ::chmod(path, st->st_mode & 07777) != 0)) {
    walkErrno = errno;
    walkFailed = path;
    return 1;
  }
  return 0;
}

}  // namespace

Status shiftOwnership(const std::string& root, uid_t shift) {
  walkShift = shift;
  walkErrno = 0;
  const int rc = ::nftw(root.c_str(), shiftEntry, 16, FTW_PHYS | FTW_MOUNT);
  if (rc == 0)
    return {};
  if (walkErrno != 0)
    return sysError("cannot shift the owner of `" + walkFailed + "`", walkErrno);
  return sysError("cannot walk `" + root + "`");
}

Status bindIdmapped(const std::string& source, const std::string& target, uid_t shift,
                    std::uint32_t count) {
  if (std::getenv("RKT_POSIX_NO_IDMAP") != nullptr)
    return sysError("no idmapped mount of `" + source + "` (RKT_POSIX_NO_IDMAP)", EINVAL);
  // The mapping is a user namespace's: a child creates one and waits; its maps are written from
  // here (we are root in the initial namespace), then its namespace is opened and the child
  // ends. The mount keeps the namespace alive.
  int sync[2];
  if (::pipe2(sync, O_CLOEXEC) != 0)
    return sysError("cannot create a pipe");
  UniqueFd readEnd(sync[0]);
  UniqueFd writeEnd(sync[1]);
  const pid_t child = ::fork();
  if (child < 0)
    return sysError("cannot fork");
  if (child == 0) {
    char c = ::unshare(CLONE_NEWUSER) == 0 ? 'u' : 'e';
    (void)!::write(writeEnd.get(), &c, 1);
    ::pause();
    ::_exit(0);
  }
  const auto reap = [child] {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
  };
  writeEnd.reset();
  char c = 0;
  if (::read(readEnd.get(), &c, 1) != 1 || c != 'u') {
    reap();
    return Error{"cannot create a user namespace for the idmapped mount of `" + source + "`"};
  }
  const std::string proc = "/proc/" + std::to_string(child);
  const std::string map = "0 " + std::to_string(shift) + " " + std::to_string(count) + "\n";
  for (const char* file : {"/uid_map", "/gid_map"}) {
    UniqueFd out(::open((proc + file).c_str(), O_WRONLY | O_CLOEXEC));
    if (!out.valid() || !writeAll(out.get(), map)) {
      const int err = errno;
      reap();
      return sysError("cannot write `" + proc + file + "`", err);
    }
  }
  UniqueFd userns(::open((proc + "/ns/user").c_str(), O_RDONLY | O_CLOEXEC));
  const int openErrno = errno;
  reap();
  if (!userns.valid())
    return sysError("cannot open the user namespace for `" + source + "`", openErrno);

  UniqueFd tree(static_cast<int>(
      ::syscall(SYS_open_tree, AT_FDCWD, source.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)));
  if (!tree.valid())
    return sysError("cannot clone the mount of `" + source + "`");
  struct mount_attr attr {};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<std::uint64_t>(userns.get());
  if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) != 0)
    return sysError("no idmapped mount of `" + source + "`");
  if (::syscall(SYS_move_mount, tree.get(), "", AT_FDCWD, target.c_str(),
                MOVE_MOUNT_F_EMPTY_PATH) != 0)
    return sysError("cannot mount `" + source + "` on `" + target + "`");
  return {};
}

bool idmapUnavailable(const Error& error) {
  switch (error.sysErrno) {
    case EINVAL:
    case ENOSYS:
    case EOPNOTSUPP:
    case EPERM:
      return true;
    default:
      return false;
  }
}

}  // namespace rkt::posix
