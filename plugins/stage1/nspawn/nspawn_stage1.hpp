// The nspawn stage1 flavor: the host's systemd-nspawn runs the pod (every namespace of its own,
// several apps) with our pod supervisor as its PID 1 (README.md).
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_STAGE1_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_STAGE1_HPP

#include <memory>
#include <string>

#include "cgroup_warmup.hpp"
#include "rkt/sdk/stage1.hpp"

namespace rkt::nspawn {

class NspawnStage1 : public sdk::Stage1 {
 public:
  /// A configuration saying that `run` follows starts the cgroup warm-up (cgroup_warmup.hpp).
  explicit NspawnStage1(const std::string& configJson);

  std::string describe() override;
  /// Prepares the stage1 rootfs and the pod's cgroup, starts systemd-nspawn in it (which
  /// writes `ppid`), waits for it and removes the pod's cgroups; returns nspawn's status (the
  /// pod's), or dies of the signal that killed nspawn (nspawn_parent.hpp).
  int run(const std::string& request) override;
  /// Joins the pod's namespaces and runs the command chrooted into the app (as root, with the
  /// app's environment, like rkt's enter); returns its exit status.
  int enter(const std::string& request) override;
  /// SIGTERM to systemd-nspawn (the supervisor stops the apps); force: SIGKILL to the pod's PID
  /// 1 and to systemd-nspawn.
  void stop(const std::string& request) override;
  /// Removes the pod's cgroups.
  void gc(const std::string& request) override;

 private:
  std::unique_ptr<CgroupWarmup> cgroupWarmup_;
};

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_STAGE1_HPP
