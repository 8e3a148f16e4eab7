#include "rkt/core/pod/wait.hpp"

#include <cerrno>
#include <thread>

#include "rkt/core/pod/info.hpp"

namespace rkt::pod {
namespace {

using Clock = std::chrono::steady_clock;

// Polling with a doubling interval: quick answers for pods that are nearly there, and at most
// rkt's 100 ms between checks after that. A negative timeout never expires.
class Poller {
 public:
  explicit Poller(std::chrono::milliseconds timeout)
      : forever_(timeout.count() < 0), deadline_(Clock::now() + timeout) {}

  /// Sleeps before the next check; false once the deadline has passed.
  bool next() {
    Clock::time_point now = Clock::now();
    if (!forever_ && now >= deadline_)
      return false;
    std::chrono::milliseconds pause = interval_;
    if (!forever_) {
      pause = std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline_ - now + std::chrono::milliseconds(1)));
    }
    std::this_thread::sleep_for(pause);
    interval_ = std::min(interval_ * 2, kMaxInterval);
    return true;
  }

 private:
  static constexpr std::chrono::milliseconds kMaxInterval{100};
  bool forever_;
  Clock::time_point deadline_;
  std::chrono::milliseconds interval_{10};
};

Error timedOut(const Pod& pod, const std::string& what) {
  return Error{"timed out waiting for pod `" + pod.uuid().str() + "` to " + what, ETIMEDOUT};
}

}  // namespace

Status waitFinished(Pod& pod, std::chrono::milliseconds timeout) {
  Poller poller(timeout);
  for (;;) {
    // refresh() probes the lock, so "finished" here also means nobody holds it any more.
    if (Status s = pod.refresh(); !s)
      return s;
    if (isFinished(pod.state()) && pod.state() != State::ExitedDeleting &&
        pod.state() != State::Deleting) {
      return {};
    }
    if (!poller.next())
      return timedOut(pod, "finish");
  }
}

Status waitReady(Pod& pod, std::chrono::milliseconds timeout) {
  Poller poller(timeout);
  for (;;) {
    if (Status s = pod.refresh(); !s)
      return s;
    if (isSupervisorReady(pod))
      return {};
    if (isFinished(pod.state())) {
      return Error{"pod `" + pod.uuid().str() + "` is " + std::string(stateName(pod.state())) +
                       " and will never be ready",
                   ECHILD};
    }
    if (!poller.next())
      return timedOut(pod, "become ready");
  }
}

Result<pid_t> waitPid1(Pod& pod, std::chrono::milliseconds timeout) {
  Poller poller(timeout);
  for (;;) {
    if (Status s = pod.refresh(); !s)
      return s.error();
    Result<pid_t> pid = findPid1(pod);
    if (pid)
      return pid;
    const int err = pid.error().sysErrno;
    if ((err != EAGAIN && err != ENOENT) || pod.state() != State::Running)
      return pid;
    if (!poller.next())
      return timedOut(pod, "start its pid 1");
  }
}

}  // namespace rkt::pod
