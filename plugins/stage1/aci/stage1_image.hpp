// What a classic rkt stage1 image declares in its manifest's annotations (rkt-notes §3.1): the
// paths of its entrypoints inside its rootfs and the stage0 interface version it speaks.
#ifndef RKT_PLUGINS_STAGE1_ACI_STAGE1_IMAGE_HPP
#define RKT_PLUGINS_STAGE1_ACI_STAGE1_IMAGE_HPP

#include <map>
#include <optional>
#include <string>

namespace rkt::aci {

/// Entrypoint names, as in `coreos.com/rkt/stage1/<name>`.
inline constexpr char kRun[] = "run";
inline constexpr char kEnter[] = "enter";
inline constexpr char kGc[] = "gc";
inline constexpr char kStop[] = "stop";
inline constexpr char kAppAdd[] = "app/add";
inline constexpr char kAppRm[] = "app/rm";
inline constexpr char kAppStart[] = "app/start";
inline constexpr char kAppStop[] = "app/stop";
inline constexpr char kAttach[] = "attach";

/// The highest interface version this stage0 speaks (rkt v1.30's).
inline constexpr int kMaxInterfaceVersion = 6;

class Stage1Image {
 public:
  /// Parses an image manifest (JSON). Throws sdk::Error(RKT_E_INVALID) for a manifest that is
  /// not one, or an `interface-version` that is not a positive decimal number.
  static Stage1Image fromManifest(const std::string& json);

  /// The annotation's path (absolute inside the stage1 rootfs), or nullopt.
  std::optional<std::string> entrypoint(const std::string& name) const;
  /// The path of an entrypoint the image must have; else rkt's error
  /// `entrypoint "coreos.com/rkt/stage1/<name>" not found` (RKT_E_NOT_FOUND).
  std::string requireEntrypoint(const std::string& name) const;
  /// `coreos.com/rkt/stage1/interface-version`, 1 when absent.
  int interfaceVersion() const { return interfaceVersion_; }
  /// rkt's supportsMutableEnvironment: app/rm, app/start and app/stop are all declared.
  bool isMutable() const;

 private:
  std::map<std::string, std::string> entrypoints_;
  int interfaceVersion_ = 1;
};

}  // namespace rkt::aci

#endif  // RKT_PLUGINS_STAGE1_ACI_STAGE1_IMAGE_HPP
