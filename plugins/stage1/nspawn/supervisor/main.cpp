// The pod supervisor: PID 1 of an nspawn pod (README.md). Reads `/rkt/pod-plan` and runs the
// pod; exits with the pod's status, or 254 when the pod could not start.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <exception>
#include <string>

#include "pod_plan.hpp"
#include "pod_supervisor.hpp"
#include "rkt/support/appexec/root_dir.hpp"
#include "rkt/support/posix/file_io.hpp"

int main() {
  // systemd-nspawn does not take its container down when it dies (SIGKILL of `rkt run`): the
  // pod goes with it, as a pod whose lock nobody holds must not keep running.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  try {
    rkt::appexec::RootDir s1("/");
    rkt::nspawn::PodSupervisor supervisor(
        rkt::nspawn::decodePodPlan(s1.readFile(std::string("/") + rkt::nspawn::kPodPlanFile)));
    return supervisor.run();
  } catch (const std::exception& e) {
    rkt::posix::writeAll(STDERR_FILENO, std::string("supervisor: ") + e.what() + "\n");
  }
  return 254;
}
