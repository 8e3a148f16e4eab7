#include "rkt/core/pod/info.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "pod/json_readers.hpp"
#include "pod/sys.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::pod {
namespace {

std::string podName(const Pod& pod) {
  return "pod `" + pod.uuid().str() + "`";
}

Status requireOpen(const Pod& pod) {
  if (pod.dirFd() < 0)
    return sysError("cannot read " + podName(pod), ENOENT);
  return {};
}

// App names are appc ACNames; refuse anything that could walk out of the pod directory.
Status checkAppName(const std::string& app) {
  if (app.empty() || app.find('/') != std::string::npos || app == "." || app == "..") {
    return Error{"invalid app name `" + app + "`", EINVAL};
  }
  return {};
}

Result<std::optional<TimePoint>> mtimeAt(const Pod& pod, const char* rel) {
  struct stat st {};
  if (::fstatat(pod.dirFd(), rel, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return sysError("cannot stat `" + std::string(rel) + "` of " + podName(pod));
  }
  return std::optional<TimePoint>(sys::toTimePoint(st.st_mtim));
}

Result<pid_t> readPidFile(const Pod& pod, const char* rel) {
  Result<std::string> text = posix::readFileAt(pod.dirFd(), rel);
  if (!text)
    return text.error().wrap("cannot read pid of " + podName(pod));
  long long value = 0;
  if (!sys::parseInt(*text, value) || value <= 0 || value > INT_MAX) {
    return Error{"invalid pid in `" + std::string(rel) + "` of " + podName(pod), EINVAL};
  }
  return static_cast<pid_t>(value);
}

// Field 4 (ppid) of /proc/<pid>/stat; the command name in field 2 may contain anything.
std::optional<pid_t> parentOf(const std::string& pid) {
  Result<std::string> stat = posix::readFileAt(AT_FDCWD, "/proc/" + pid + "/stat");
  if (!stat)
    return std::nullopt;
  size_t close = stat->rfind(')');
  if (close == std::string::npos || close + 4 > stat->size())
    return std::nullopt;
  size_t start = stat->find(' ', close + 3);  // ") S ppid"
  if (start == std::string::npos)
    return std::nullopt;
  size_t end = stat->find(' ', start + 1);
  long long ppid = 0;
  if (!sys::parseInt(stat->substr(start + 1, end - start - 1), ppid))
    return std::nullopt;
  return static_cast<pid_t>(ppid);
}

// Children of `ppid`: /proc/<ppid>/task/<ppid>/children where the kernel has it, else a scan
// of every process's parent.
Result<std::vector<pid_t>> childrenOf(pid_t ppid) {
  const std::string p = std::to_string(ppid);
  std::vector<pid_t> children;
  Result<std::string> list = posix::readFileAt(AT_FDCWD, "/proc/" + p + "/task/" + p + "/children");
  if (list) {
    std::string_view rest = *list;
    while (!(rest = sys::trimSpace(rest)).empty()) {
      size_t sp = rest.find(' ');
      long long child = 0;
      if (sys::parseInt(rest.substr(0, sp), child))
        children.push_back(static_cast<pid_t>(child));
      if (sp == std::string_view::npos)
        break;
      rest.remove_prefix(sp);
    }
    return children;
  }
  struct stat st {};
  if (::stat(("/proc/" + p).c_str(), &st) != 0) {
    return sysError("cannot find children of process " + p);
  }
  DIR* d = ::opendir("/proc");
  if (d == nullptr)
    return sysError("cannot read `/proc`");
  while (struct dirent* e = ::readdir(d)) {
    long long pid = 0;
    if (!sys::parseInt(e->d_name, pid))
      continue;
    if (std::optional<pid_t> parent = parentOf(e->d_name); parent && *parent == ppid) {
      children.push_back(static_cast<pid_t>(pid));
    }
  }
  ::closedir(d);
  return children;
}

}  // namespace

Result<std::optional<TimePoint>> creationTime(const Pod& pod) {
  if (Status s = requireOpen(pod); !s)
    return s.error();
  switch (pod.state()) {
    case State::Embryo:
    case State::Preparing:
    case State::AbortedPrepare:
      return std::optional<TimePoint>();
    default:
      break;
  }
  Result<std::optional<TimePoint>> t = mtimeAt(pod, layout::kPodCreated);
  if (t || t.error().sysErrno != ENOENT)
    return t;
  return mtimeAt(pod, layout::kPodManifest);  // pods prepared by rkt < 1.20
}

Result<std::optional<TimePoint>> startTime(const Pod& pod) {
  if (Status s = requireOpen(pod); !s)
    return s.error();
  if (pod.state() != State::Running && !isAfterRun(pod.state())) {
    return std::optional<TimePoint>();
  }
  // Stage1s write one of the two when the pod starts; a pod that failed early has neither.
  std::optional<Error> failure;
  for (const char* rel : {layout::kPid, layout::kPpid}) {
    Result<std::optional<TimePoint>> t = mtimeAt(pod, rel);
    if (t)
      return t;
    if (t.error().sysErrno != ENOENT)
      failure = t.error();
  }
  if (failure)
    return *failure;
  return std::optional<TimePoint>();
}

Result<pid_t> readPid(const Pod& pod) {
  if (Status s = requireOpen(pod); !s)
    return s.error();
  Result<pid_t> pid = readPidFile(pod, layout::kPid);
  if (pid || pid.error().sysErrno != ENOENT)
    return pid;
  return readPidFile(pod, layout::kPpid);
}

Result<pid_t> findPid1(const Pod& pod) {
  if (Status s = requireOpen(pod); !s)
    return s.error();
  Result<pid_t> pid = readPidFile(pod, layout::kPid);
  if (pid || pid.error().sysErrno != ENOENT)
    return pid;
  Result<pid_t> ppid = readPidFile(pod, layout::kPpid);
  if (!ppid)
    return ppid;
  Result<std::vector<pid_t>> children = childrenOf(*ppid);
  if (!children)
    return children.error().wrap("cannot find pid 1 of " + podName(pod));
  if (children->empty()) {
    return Error{"cannot find pid 1 of " + podName(pod) + ": process " + std::to_string(*ppid) +
                     " has no child yet",
                 EAGAIN};
  }
  if (children->size() > 1) {
    return Error{"cannot find pid 1 of " + podName(pod) + ": too many children of process " +
                     std::to_string(*ppid),
                 EINVAL};
  }
  return children->front();
}

Result<std::string> readManifest(const Pod& pod) {
  if (Status s = requireOpen(pod); !s)
    return s.error();
  Result<std::string> text = posix::readFileAt(pod.dirFd(), layout::kPodManifest);
  if (!text)
    return text.error().wrap("cannot read the manifest of " + podName(pod));
  return text;
}

// The only place that interprets the pod manifest (see json_readers.hpp).
Result<std::vector<ManifestApp>> readManifestApps(const Pod& pod) {
  Result<std::string> text = readManifest(pod);
  if (!text)
    return text.error();
  Result<std::vector<ManifestApp>> apps = json::parsePodManifestApps(*text);
  if (!apps)
    return apps.error().wrap(podName(pod));
  return apps;
}

Result<std::string> appImageName(const Pod& pod, const std::string& app) {
  if (Status s = requireOpen(pod); !s)
    return s.error();
  if (Status s = checkAppName(app); !s)
    return s.error();
  Result<std::string> text = posix::readFileAt(pod.dirFd(), layout::appImageManifest(app));
  if (!text)
    return text.error().wrap("cannot read the image manifest of app `" + app + "`");
  Result<json::ImageNameVersion> image = json::parseImageNameVersion(*text);
  if (!image)
    return image.error().wrap("app `" + app + "`");
  return image->version.empty() ? image->name : image->name + ":" + image->version;
}

Result<std::string> stage1RootfsRelPath(const Pod& pod) {
  if (Status s = requireOpen(pod); !s)
    return s.error();
  struct stat st {};
  if (::fstatat(pod.dirFd(), layout::kOverlayPrepared, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT)
      return sysError("cannot stat `" + std::string(layout::kOverlayPrepared) + "` of " +
                      podName(pod));
    return std::string(layout::kStage1Rootfs);
  }
  Result<std::string> id = posix::readFileAt(pod.dirFd(), layout::kStage1TreeStoreId);
  // Stage1 plugins come from no image: overlay (of the apps) but a plain stage1/rootfs.
  if (!id && id.error().sysErrno == ENOENT)
    return std::string(layout::kStage1Rootfs);
  if (!id)
    return id.error().wrap("cannot find the stage1 of " + podName(pod));
  std::string treeId(sys::trimSpace(*id));
  if (treeId.empty() || treeId.find('/') != std::string::npos || treeId == "..") {
    return Error{"invalid `" + std::string(layout::kStage1TreeStoreId) + "` in " + podName(pod),
                 EINVAL};
  }
  // Built-in flavors record their stage1 image but build their own rootfs: no upper layer.
  const std::string upper = layout::overlayStage1Rootfs(treeId);
  if (::fstatat(pod.dirFd(), upper.c_str(), &st, 0) != 0 && errno == ENOENT)
    return std::string(layout::kStage1Rootfs);
  return upper;
}

Result<int> appExitCode(const Pod& pod, const std::string& app) {
  if (Status s = checkAppName(app); !s)
    return s.error();
  Result<std::string> s1 = stage1RootfsRelPath(pod);
  if (!s1)
    return s1.error();
  Result<std::string> text = posix::readFileAt(pod.dirFd(), *s1 + "/" + layout::appStatus(app));
  if (!text)
    return text.error().wrap("cannot read the exit status of app `" + app + "`");
  long long code = 0;
  if (!sys::parseInt(*text, code) || code < INT_MIN || code > INT_MAX) {
    return Error{"invalid exit status of app `" + app + "` in " + podName(pod), EINVAL};
  }
  return static_cast<int>(code);
}

Result<std::map<std::string, int>> appExitCodes(const Pod& pod) {
  Result<std::string> s1 = stage1RootfsRelPath(pod);
  if (!s1)
    return s1.error();
  std::map<std::string, int> codes;
  const std::string rel = *s1 + "/" + layout::kAppStatusDir;
  int fd = ::openat(pod.dirFd(), rel.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return codes;
    return sysError("cannot read `" + rel + "` of " + podName(pod));
  }
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return sysError("cannot read `" + rel + "` of " + podName(pod));
  }
  while (struct dirent* e = ::readdir(d)) {
    struct stat st {};
    if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
      continue;
    Result<std::string> text = posix::readFileAt(fd, e->d_name);
    long long code = 0;
    if (text && sys::parseInt(*text, code) && code >= INT_MIN && code <= INT_MAX) {
      codes[e->d_name] = static_cast<int>(code);
    }
  }
  ::closedir(d);
  return codes;
}

Result<std::vector<NetInfo>> readNetworks(const Pod& pod) {
  if (Status s = requireOpen(pod); !s)
    return s.error();
  Result<std::string> text = posix::readFileAt(pod.dirFd(), layout::kNetInfo);
  if (!text) {
    if (text.error().sysErrno == ENOENT)
      return std::vector<NetInfo>();
    return text.error().wrap(podName(pod));
  }
  Result<std::vector<NetInfo>> nets = json::parseNetInfo(*text);
  if (!nets)
    return nets.error().wrap(podName(pod));
  return nets;
}

bool isSupervisorReady(const Pod& pod) {
  Result<std::string> s1 = stage1RootfsRelPath(pod);
  if (!s1)
    return false;
  char target[64];
  const std::string rel = *s1 + "/" + layout::kSupervisorStatus;
  ssize_t n = ::readlinkat(pod.dirFd(), rel.c_str(), target, sizeof target);
  return n == 5 && std::string_view(target, 5) == "ready";
}

PodInfo readPodInfo(const Pod& pod) {
  PodInfo info;
  info.uuid = pod.uuid();
  info.state = pod.state();
  if (pod.dirFd() < 0)
    return info;
  const bool ran = pod.state() == State::Running || isAfterRun(pod.state());
  const bool preparing = pod.state() == State::Embryo || pod.state() == State::Preparing ||
                         pod.state() == State::AbortedPrepare;

  if (Result<std::optional<TimePoint>> t = creationTime(pod); t) {
    info.created = *t;
  } else {
    info.errors.push_back(t.error());
  }
  if (Result<std::optional<TimePoint>> t = startTime(pod); t) {
    info.started = *t;
  } else {
    info.errors.push_back(t.error());
  }
  if (Result<pid_t> pid = readPid(pod); pid) {
    info.pid = *pid;
  } else if (pid.error().sysErrno != ENOENT) {
    info.errors.push_back(pid.error());
  }
  if (Result<std::vector<ManifestApp>> apps = readManifestApps(pod); apps) {
    for (ManifestApp& app : *apps) {
      AppInfo a{std::move(app), std::nullopt};
      if (isAfterRun(pod.state())) {
        if (Result<int> code = appExitCode(pod, a.app.name); code) {
          a.exitCode = *code;
        } else if (code.error().sysErrno != ENOENT) {
          info.errors.push_back(code.error());
        }
      }
      info.apps.push_back(std::move(a));
    }
  } else if (!(preparing && apps.error().sysErrno == ENOENT)) {
    info.errors.push_back(apps.error());
  }
  if (ran) {
    if (Result<std::vector<NetInfo>> nets = readNetworks(pod); nets) {
      info.networks = std::move(*nets);
    } else {
      info.errors.push_back(nets.error());
    }
  }
  return info;
}

}  // namespace rkt::pod
