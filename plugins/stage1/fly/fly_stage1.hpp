// The fly stage1 flavor: one app per pod, chroot isolation only, host network. `run` sets up
// the app's mounts in the caller's mount namespace and then replaces the calling process with
// the app (rkt-notes §3.7); `enter`, `stop` and `gc` act on such a running pod.
#ifndef RKT_PLUGINS_STAGE1_FLY_FLY_STAGE1_HPP
#define RKT_PLUGINS_STAGE1_FLY_FLY_STAGE1_HPP

#include <string>

#include "rkt/sdk/stage1.hpp"

namespace rkt::fly {

class FlyStage1 : public sdk::Stage1 {
 public:
  explicit FlyStage1(const std::string& configJson);

  /// Never returns on success: the process becomes the app (so its exit status is the app's
  /// and it keeps the pod lock). Throws for anything found wrong before that point.
  int run(const std::string& request) override;
  std::string describe() override;
  /// Runs the command in a forked child that joins the pod's mount namespace when it differs,
  /// chroots into the app rootfs with the app's environment and credentials; returns its exit
  /// status (128 + signal number when it was killed).
  int enter(const std::string& request) override;
  /// SIGTERM (SIGKILL with force) to the pod's pid and its process group.
  void stop(const std::string& request) override;
  /// Nothing to release: the core unmounts everything below $POD.
  void gc(const std::string& request) override;
};

}  // namespace rkt::fly

#endif  // RKT_PLUGINS_STAGE1_FLY_FLY_STAGE1_HPP
