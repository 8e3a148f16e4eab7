// The `aci` stage1 flavor: runs a classic rkt stage1 image (its rootfs is $POD/stage1/rootfs,
// its manifest $POD/stage1/manifest, both set up by stage0) through rkt's exec ABI, calling the
// entrypoints its annotations name exactly as rkt's stage0 does (rkt-notes §3.1–3.3).
#ifndef RKT_PLUGINS_STAGE1_ACI_ACI_STAGE1_HPP
#define RKT_PLUGINS_STAGE1_ACI_ACI_STAGE1_HPP

#include <optional>
#include <string>

#include "rkt/sdk/stage1.hpp"
#include "stage1_image.hpp"

namespace rkt::aci {

class AciStage1 : public sdk::Stage1 {
 public:
  /// `configJson` may carry {"image_manifest": {…}}: the stage1 image's manifest, which the
  /// core hands over so that `describe` can answer before any pod exists.
  explicit AciStage1(const std::string& configJson);

  /// Execs the `run` entrypoint (cwd $POD, RKT_LOCK_FD kept open): never returns on success.
  int run(const std::string& request) override;
  /// mutable: whether app/rm, app/start and app/stop are declared; exit status preserved (the
  /// stage1 writes rkt/status/<app>); no app limit.
  std::string describe() override;
  /// Execs the `enter` entrypoint: never returns on success.
  int enter(const std::string& request) override;
  /// Runs the `stop` entrypoint and waits for it.
  void stop(const std::string& request) override;
  /// Runs the `gc` entrypoint and waits for it.
  void gc(const std::string& request) override;

 private:
  std::optional<Stage1Image> configured_;
};

}  // namespace rkt::aci

#endif  // RKT_PLUGINS_STAGE1_ACI_ACI_STAGE1_HPP
