#include "stage1_view.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "prepare_pod.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/stage0/pod_setup.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "stage0/overlay_mount.hpp"

namespace rkt::engine {
namespace {

bool existsAt(int dirFd, const std::string& rel) {
  struct stat st {};
  return ::fstatat(dirFd, rel.c_str(), &st, 0) == 0;
}

}  // namespace

bool needsStage1View(const pod::Pod& pod, const std::string& flavor) {
  return flavor == stage1::kImageFlavor && existsAt(pod.dirFd(), pod::layout::kOverlayPrepared) &&
         existsAt(pod.dirFd(), pod::layout::kStage1TreeStoreId);
}

Status mountStage1View(Engine& engine, const pod::Pod& pod) {
  Result<std::string> id = posix::readFileAt(pod.dirFd(), pod::layout::kStage1TreeStoreId);
  if (!id)
    return id.error().wrap("cannot read the stage1 tree of pod `" + pod.uuid().str() + "`");
  if (Status s = engine.openStore(); !s)
    return s;
  std::optional<std::string> tree = recordedTreePath(engine.store(), *id);
  if (!tree)
    return Error{"cannot find the stage1 tree `" + *id + "` in the tree store"};
  std::string lower = stage0::overlayEscape(*tree + "/rootfs");
  const std::string upper = pod::layout::overlayStage1Rootfs(*id);
  if (existsAt(pod.dirFd(), upper))
    lower = stage0::overlayEscape(pod.path() + "/" + upper) + ":" + lower;
  static bool ownNamespace = false;
  if (!ownNamespace) {
    if (Status s = stage0::enterPrivateMountNamespace(); !s)
      return s;
    ownNamespace = true;
  }
  const std::string target = pod.path() + "/" + pod::layout::kStage1Rootfs;
  const std::string options = "lowerdir=" + lower;
  if (::mount("overlay", target.c_str(), "overlay", MS_RDONLY, options.c_str()) != 0)
    return sysError("problem mounting the stage1 rootfs on `" + target + "`");
  return {};
}

Status inStage1View(Engine& engine, const pod::Pod& pod, const std::function<Status()>& op) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return sysError("cannot create a pipe");
  engine.flushOutput();
  const pid_t pid = ::fork();
  if (pid < 0) {
    Error e = sysError("cannot fork");
    ::close(fds[0]);
    ::close(fds[1]);
    return e;
  }
  if (pid == 0) {
    ::close(fds[0]);
    Status s = mountStage1View(engine, pod);
    if (s)
      s = op();
    engine.flushOutput();
    if (!s)
      (void)posix::writeAll(fds[1], s.error().message);
    ::_exit(s ? 0 : 1);
  }
  ::close(fds[1]);
  std::string message;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0)
      message.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return {};
  return Error{message.empty() ? "the stage1 process for pod `" + pod.uuid().str() + "` failed"
                               : message};
}

}  // namespace rkt::engine
