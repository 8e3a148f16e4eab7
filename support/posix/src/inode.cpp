#include "inode.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>

#include "rkt/support/posix/errno_text.hpp"

namespace rkt::posix {

Result<Identity> identify(int fd) {
  Identity id;
  struct statx sx {};
  if (::statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
              STATX_TYPE | STATX_MODE | STATX_INO | STATX_MNT_ID, &sx) == 0) {
    id.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
    id.ino = sx.stx_ino;
    id.mode = sx.stx_mode;
    id.hasMountId = (sx.stx_mask & STATX_MNT_ID) != 0;
    id.mountId = sx.stx_mnt_id;
    return id;
  }
  if (errno != ENOSYS) {
    return sysError("statx");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return sysError("fstat");
  }
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  id.mode = st.st_mode;
  return id;
}

bool sameInode(const Identity& a, const Identity& b) {
  return a.dev == b.dev && a.ino == b.ino;
}

bool sameMount(const Identity& a, const Identity& b) {
  if (a.dev != b.dev) {
    return false;
  }
  return !a.hasMountId || !b.hasMountId || a.mountId == b.mountId;
}

bool clearRemovalBlockingFlags(int fd) {
  // The kernel reads and writes an int, whatever the ioctl number says (see ioctl_iflags(2)).
  int flags = 0;
  if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
    return false;
  }
  constexpr int kBlocking = FS_IMMUTABLE_FL | FS_APPEND_FL;
  if ((flags & kBlocking) == 0) {
    return false;
  }
  flags &= ~kBlocking;
  return ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
}

}  // namespace rkt::posix
