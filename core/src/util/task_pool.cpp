#include "util/task_pool.hpp"

#include <exception>
#include <system_error>
#include <thread>

namespace rkt::util {

void TaskPool::push(Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void TaskPool::fail(Error error) {
  if (!error_) {
    error_ = std::move(error);
    failed_.store(true, std::memory_order_relaxed);
  }
}

void TaskPool::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    // Idle threads wait while others run: a running task may still queue more.
    wake_.wait(lock, [this] { return error_ || !tasks_.empty() || running_ == 0; });
    if (error_ || tasks_.empty()) {
      wake_.notify_all();  // done (or failed): let the other waiting threads see it too
      return;
    }
    Task task = std::move(tasks_.back());
    tasks_.pop_back();
    ++running_;
    lock.unlock();
    Status status;
    try {
      status = task();
    } catch (const std::exception& e) {
      status = Error{what_ + ": " + e.what()};
    } catch (...) {
      status = Error{what_ + ": unknown error"};
    }
    task = nullptr;  // what it holds (open directories) goes now, outside the lock
    lock.lock();
    --running_;
    if (!status) {
      fail(status.error());
    }
    if (error_ || (running_ == 0 && tasks_.empty())) {
      wake_.notify_all();
    }
  }
}

// Only locking can throw out of work(), and practically never; an exception must still neither
// leave a thread running nor reach std::terminate.
void TaskPool::workCatching() {
  try {
    work();
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail(Error{what_ + ": " + e.what()});
    wake_.notify_all();
  }
}

Status TaskPool::run(unsigned threads) {
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < threads; ++i) {
    try {
      helpers.emplace_back([this] { workCatching(); });
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running (at least this one) do the work
    }
  }
  workCatching();
  for (std::thread& t : helpers) {
    t.join();
  }
  tasks_.clear();
  if (error_) {
    return *error_;
  }
  return {};
}

}  // namespace rkt::util
