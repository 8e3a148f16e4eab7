#include "rkt/core/pod/state.hpp"

namespace rkt::pod {

const std::vector<Phase>& allPhases() {
  static const std::vector<Phase> kAll = {Phase::Embryo, Phase::Prepare,       Phase::Prepared,
                                          Phase::Run,    Phase::ExitedGarbage, Phase::Garbage};
  return kAll;
}

const std::vector<Phase>& mostPhases() {
  static const std::vector<Phase> kMost = {Phase::Prepare, Phase::Prepared, Phase::Run,
                                           Phase::ExitedGarbage};
  return kMost;
}

std::string_view phaseDirName(Phase phase) {
  switch (phase) {
    case Phase::Embryo:
      return "embryo";
    case Phase::Prepare:
      return "prepare";
    case Phase::Prepared:
      return "prepared";
    case Phase::Run:
      return "run";
    case Phase::ExitedGarbage:
      return "exited-garbage";
    case Phase::Garbage:
      return "garbage";
  }
  return "?";
}

bool phaseHasLockState(Phase phase) {
  return phase != Phase::Embryo && phase != Phase::Prepared;
}

std::string_view stateName(State state) {
  switch (state) {
    case State::Embryo:
      return "embryo";
    case State::Preparing:
      return "preparing";
    case State::AbortedPrepare:
      return "aborted prepare";
    case State::Prepared:
      return "prepared";
    case State::Running:
      return "running";
    case State::Deleting:
      return "deleting";
    case State::ExitedDeleting:
      return "exited deleting";
    case State::Exited:
      return "exited";
    case State::ExitedGarbage:
      return "exited garbage";
    case State::Garbage:
      return "garbage";
    case State::Gone:
      return "gone";
  }
  return "?";
}

State stateFor(Phase phase, bool locked) {
  switch (phase) {
    case Phase::Embryo:
      return State::Embryo;
    case Phase::Prepare:
      return locked ? State::Preparing : State::AbortedPrepare;
    case Phase::Prepared:
      return State::Prepared;
    case Phase::Run:
      return locked ? State::Running : State::Exited;
    case Phase::ExitedGarbage:
      return locked ? State::ExitedDeleting : State::ExitedGarbage;
    case Phase::Garbage:
      return locked ? State::Deleting : State::Garbage;
  }
  return State::Gone;
}

bool isAfterRun(State state) {
  switch (state) {
    case State::Exited:
    case State::ExitedGarbage:
    case State::ExitedDeleting:
    case State::Garbage:
    case State::Deleting:
      return true;
    default:
      return false;
  }
}

bool isFinished(State state) {
  switch (state) {
    case State::Exited:
    case State::ExitedGarbage:
    case State::ExitedDeleting:
    case State::AbortedPrepare:
    case State::Garbage:
    case State::Deleting:
    case State::Gone:
      return true;
    default:
      return false;
  }
}

}  // namespace rkt::pod
