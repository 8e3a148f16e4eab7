#include "cgroup_warmup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

namespace {

// Shorter than any grace period measured (6 ms and up), so the lock never goes idle between
// two writes; each write after the first costs ~10 µs.
constexpr std::chrono::milliseconds kRewriteEvery{3};

}  // namespace

CgroupWarmup::CgroupWarmup(std::string procs) : procs_(std::move(procs)) {
  if (!procs_.empty()) {
    thread_ = std::thread([this] { loop(); });
  }
}

CgroupWarmup::~CgroupWarmup() {
  stop();
}

void CgroupWarmup::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void CgroupWarmup::loop() {
  const std::string pid = std::to_string(::getpid());
  posix::UniqueFd fd(::open(procs_.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    // A write that fails (a cgroup2 parent with controllers refuses processes: EBUSY) has
    // taken and released the lock all the same.
    (void)posix::writeAll(fd.get(), pid);
    lock.lock();
    wake_.wait_for(lock, kRewriteEvery, [this] { return stopping_; });
  }
}

}  // namespace rkt::nspawn
