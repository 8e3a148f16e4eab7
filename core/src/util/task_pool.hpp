// A small pool for one parallel job (copyTree): tasks are pushed onto one shared stack, run by
// the calling thread and a few helper threads, and may push more tasks. The first failing task
// ends the job: no new task starts, every thread is joined, the error is returned.
#ifndef RKT_CORE_SRC_UTIL_TASK_POOL_HPP
#define RKT_CORE_SRC_UTIL_TASK_POOL_HPP

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rkt/core/result.hpp"

namespace rkt::util {

class TaskPool {
 public:
  using Task = std::function<Status()>;

  /// `what` starts the message of an error made from an exception: "<what>: <e.what()>".
  explicit TaskPool(std::string what) : what_(std::move(what)) {}

  /// Queues a task; safe from any thread, also from inside a running task. Tasks run newest
  /// first (a stack): work a task has just uncovered runs next, which keeps what is in flight
  /// small.
  void push(Task task);

  /// Runs every queued task, and those they queue, on the calling thread and `threads - 1` more
  /// (none with 1; fewer when the system refuses a thread). Returns when all are done or after
  /// the first failure (an escaping exception counts as one), with every helper thread joined
  /// and the tasks never started dropped. Use once.
  Status run(unsigned threads);

  /// True once a task has failed: long tasks check it to stop early.
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  void work();
  void workCatching();     // work(), with anything it throws stored as the error
  void fail(Error error);  // with mutex_ held

  const std::string what_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Task> tasks_;
  unsigned running_ = 0;
  std::optional<Error> error_;
  std::atomic<bool> failed_{false};
};

}  // namespace rkt::util

#endif  // RKT_CORE_SRC_UTIL_TASK_POOL_HPP
