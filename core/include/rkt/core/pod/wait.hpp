// Waiting on pods (`rkt status --wait`, `--wait-ready`, `rkt enter`): poll with a backoff from
// 10 ms up to rkt's 100 ms interval until the condition holds or the timeout passes.
//
// Timeouts follow `rkt status`: a negative timeout waits forever, zero checks once.
#ifndef RKT_CORE_POD_WAIT_HPP
#define RKT_CORE_POD_WAIT_HPP

#include <sys/types.h>

#include <chrono>

#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod {

inline constexpr std::chrono::milliseconds kWaitForever{-1};

/// Waits until the pod is finished (isFinished: exited, aborted prepare, garbage, gone), and
/// its lock is free. `pod` is refreshed as it goes. Timeout: errno ETIMEDOUT.
Status waitFinished(Pod& pod, std::chrono::milliseconds timeout);

/// Waits until the pod's supervisor reports ready (isSupervisorReady). Fails early when the
/// pod finishes first (rkt would wait for the timeout). Timeout: errno ETIMEDOUT.
Status waitReady(Pod& pod, std::chrono::milliseconds timeout);

/// findPid1, retried while it fails with EAGAIN or ENOENT and the pod is still running.
Result<pid_t> waitPid1(Pod& pod, std::chrono::milliseconds timeout);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_WAIT_HPP
