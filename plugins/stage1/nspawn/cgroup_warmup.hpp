// Hides the wait of the pod's cgroup join behind stage0's work. Every write to a `cgroup.procs`
// takes the kernel's cgroup_threadgroup_rwsem for writing, and the first writer after a quiet
// moment waits for an RCU grace period (rcu_sync_enter from its idle state: 6-14 ms measured
// here, sleeping); a writer within about one grace period of the previous one does not wait.
// So while stage0 prepares the pod, a thread moves the process into the cgroup it is already
// in (a no-op move) and repeats it every few milliseconds, until the join: the join and
// systemd-nspawn's first moves right after it then find the lock's fast path already entered.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_CGROUP_WARMUP_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_CGROUP_WARMUP_HPP

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace rkt::nspawn {

class CgroupWarmup {
 public:
  /// Starts the thread writing the process's pid to `procs` (ownCgroupProcs()); nothing when
  /// `procs` is empty. Failed writes are ignored: the join then simply waits as before.
  explicit CgroupWarmup(std::string procs);
  /// stop().
  ~CgroupWarmup();
  CgroupWarmup(const CgroupWarmup&) = delete;
  CgroupWarmup& operator=(const CgroupWarmup&) = delete;

  /// Ends the thread (after its current write: the first may still be waiting for the grace
  /// period, which the join would have waited for anyway). Must come before the process moves
  /// to another cgroup, or a late write would move it back.
  void stop();

 private:
  void loop();

  std::string procs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_CGROUP_WARMUP_HPP
