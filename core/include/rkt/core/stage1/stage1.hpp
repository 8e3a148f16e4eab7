// What the engine needs of a stage1 flavor: the ops of the stage1 protocol
// (rkt/sdk/protocol/stage1.hpp). Stage1Client implements it on a plugin instance; unit tests
// implement it with fakes (rkt::EngineOptions::openStage1).
#ifndef RKT_CORE_STAGE1_STAGE1_HPP
#define RKT_CORE_STAGE1_STAGE1_HPP

#include <string>
#include <string_view>

#include "rkt/core/result.hpp"
#include "rkt/sdk/protocol/stage1.hpp"

namespace rkt::stage1 {

// The stage1 protocol's messages (rkt/sdk/protocol/stage1.hpp).
/// What `describe` reports: maxApps (0: no limit), isolation, networking, isMutable,
/// exitStatusPreserved.
using Capabilities = protocol::stage1::DescribeResult;
using RunRequest = protocol::stage1::RunRequest;
using EnterRequest = protocol::stage1::EnterRequest;
using StopRequest = protocol::stage1::StopRequest;
using GcRequest = protocol::stage1::GcRequest;

class Stage1 {
 public:
  virtual ~Stage1() = default;

  virtual const std::string& flavor() const = 0;

  /// Whether the flavor has the op ("run", "describe", "enter", "stop", "gc").
  virtual bool has(std::string_view op) const = 0;

  /// `describe`; default Capabilities (maxApps 0: no limit) when the flavor lacks it.
  virtual Result<Capabilities> describe() const = 0;

  /// Runs a prepared pod. Returns the pod's exit status when the flavor returns; a flavor that
  /// execs (fly) does not come back on success.
  virtual Result<int> run(const RunRequest& request) const = 0;
  /// Runs a command in the pod; returns its exit status (or does not return when the flavor
  /// replaces the calling process).
  virtual Result<int> enter(const EnterRequest& request) const = 0;
  virtual Status stop(const StopRequest& request) const = 0;
  virtual Status gc(const GcRequest& request) const = 0;

 protected:
  Stage1() = default;
  Stage1(const Stage1&) = default;
  Stage1(Stage1&&) = default;
  Stage1& operator=(const Stage1&) = default;
  Stage1& operator=(Stage1&&) = default;
};

}  // namespace rkt::stage1

#endif  // RKT_CORE_STAGE1_STAGE1_HPP
