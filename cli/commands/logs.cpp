// `rkt logs [--app=NAME] [--follow] [--tail=N] UUID`: an app's output as its stage1 kept it
// (`<stage1 rootfs>/rkt/logs/<app>` and, past the size cap, `<app>.1`; flavors that keep no
// log, as fly, have none): while the pod runs and after it exited, until gc. Not in rkt (its
// apps logged to journald only, rkt issue #1528); podman's `logs` is the model.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ostream>
#include <string>
#include <thread>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::cli {
namespace {

// The last `n` lines of `text` (all of it when it has fewer).
std::string lastLines(const std::string& text, long n) {
  std::size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') {
    --pos;
  }
  for (long seen = 0; pos > 0; --pos) {
    if (text[pos - 1] == '\n' && ++seen == n) {
      break;
    }
  }
  return text.substr(pos);
}

class LogsCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addStringFlag(app, "--app", app_, "the app whose output to print (required for several apps)");
    addBoolFlag(app, "--follow", follow_, "keep printing the app's output while the pod runs");
    addStringFlag(app, "--tail", tail_, "print only the last N lines (-1: all)");
  }

  int run(Invocation& inv) override {
    if (inv.args.size() != 1) {
      return inv.usageError();
    }
    long tail = -1;
    try {
      std::size_t used = 0;
      tail = std::stol(tail_, &used);
      if (used != tail_.size() || tail < -1) {
        throw std::invalid_argument(tail_);
      }
    } catch (const std::exception&) {
      return inv.usageError("invalid argument \"" + tail_ + "\" for \"--tail\" flag");
    }
    std::optional<Engine> engine = openEngine(inv);
    if (!engine) {
      return kExitFailure;
    }
    Result<pod::Pod> pod = pod::openPod(engine->podDirs(), inv.args.front());
    if (!pod) {
      return inv.fail(pod.error().wrap("problem retrieving pod"));
    }
    Result<std::string> app = chooseApp(*pod);
    if (!app) {
      return inv.fail(app.error());
    }
    Result<std::string> s1 = pod::stage1RootfsRelPath(*pod);
    if (!s1) {
      return inv.fail(s1.error());
    }
    const std::string current = *s1 + "/" + pod::layout::appLog(*app);
    const std::string previous = *s1 + "/" + pod::layout::appLogPrevious(*app);

    // The current file is opened first: a rotation after that point only adds to what
    // --follow reads from it.
    posix::UniqueFd fd(::openat(pod->dirFd(), current.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid() && pod->state() != pod::State::Running) {
      return inv.fail("app `" + *app + "` of pod " + pod->uuid().str() +
                      " has no log (its stage1 keeps none)");
    }
    std::string text;
    if (Result<std::string> old = posix::readFileAt(pod->dirFd(), previous); old) {
      text = *old;
    }
    off_t offset = 0;
    readFrom(fd, offset, text);
    inv.out << (tail >= 0 ? lastLines(text, tail) : text) << std::flush;
    if (follow_) {
      followLog(inv, *pod, current, fd, offset);
    }
    return kExitOk;
  }

 private:
  Result<std::string> chooseApp(const pod::Pod& pod) const {
    Result<std::vector<pod::ManifestApp>> apps = pod::readManifestApps(pod);
    if (!apps) {
      return apps.error();
    }
    std::string names;
    for (const pod::ManifestApp& a : *apps) {
      if (a.name == app_) {
        return a.name;
      }
      names += (names.empty() ? "" : ", ") + a.name;
    }
    if (!app_.empty()) {
      return Error{"app `" + app_ + "` is not in pod " + pod.uuid().str() + " (" + names + ")"};
    }
    if (apps->size() != 1) {
      return Error{"pod " + pod.uuid().str() + " has " + std::to_string(apps->size()) +
                   " apps: choose one with --app (" + names + ")"};
    }
    return apps->front().name;
  }

  // Prints what is appended to the log while the pod runs; a rotation starts a new file.
  static void followLog(Invocation& inv, const pod::Pod& pod, const std::string& rel,
                        posix::UniqueFd& fd, off_t& offset) {
    for (;;) {
      const bool running = [&] {
        Result<pod::Pod> now = pod::Pod::open(pod.dirs(), pod.uuid());
        return now && now->state() == pod::State::Running;
      }();
      std::string chunk;
      readFrom(fd, offset, chunk);
      struct stat at {};
      struct stat open {};
      if (::fstatat(pod.dirFd(), rel.c_str(), &at, 0) == 0 &&
          (!fd.valid() || (::fstat(fd.get(), &open) == 0 && open.st_ino != at.st_ino))) {
        readFrom(fd, offset, chunk);
        fd = posix::UniqueFd(::openat(pod.dirFd(), rel.c_str(), O_RDONLY | O_CLOEXEC));
        offset = 0;
        readFrom(fd, offset, chunk);
      }
      inv.out << chunk << std::flush;
      if (!running) {
        return;  // checked before the last read: nothing written before the exit is lost
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // Appends what `fd` holds past `offset` to `out`.
  static void readFrom(const posix::UniqueFd& fd, off_t& offset, std::string& out) {
    if (!fd.valid()) {
      return;
    }
    char buf[16384];
    ssize_t n;
    while ((n = ::pread(fd.get(), buf, sizeof buf, offset)) > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      offset += n;
    }
  }

  std::string app_;
  bool follow_ = false;
  std::string tail_ = "-1";
};

}  // namespace

extern const CommandSpec kLogsCommand =
    CommandSpec("logs", "Print the output of a pod's app")
        .runs<LogsCommand>()
        .withUsage("[--app=NAME] [--follow] [--tail=N] UUID")
        .withDescription(
            "The app's stdout and stderr as its stage1 kept them (size-capped), "
            "while the pod runs and after it exited, until it is garbage collected.")
        .completes(ArgCompletion::kPods);

}  // namespace rkt::cli
