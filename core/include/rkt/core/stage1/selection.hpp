// Which stage1 a pod runs (rkt-notes §3.4, docs/stage1-images.md). As in rkt, a stage1 is an
// image chosen with one --stage1-* flag, else by stage1.d, else by the build's default; the
// chosen image is fetched into the store. Which *plugin* then runs the pod follows from the
// image's name:
//
//   coreos.com/rkt/stage1-fly                   -> fly
//   coreos.com/rkt/stage1-{nspawn,coreos,host,src-*}
//                                               -> nspawn
//   coreos.com/rkt/stage1-kvm, …-kvm-qemu       -> qemu-kvm;   …-kvm-lkvm -> lkvm
//   coreos.com/rkt/stage1-<flavor>, `<flavor>`  -> that flavor plugin
//   any other image name                        -> the `aci` flavor, which runs the image's own
//                                                  entrypoints through rkt's exec ABI
//
// The built-in flavors are plugins and need no image: a name that maps to one (the
// --stage1-name forms above, stage1.d's name, or the build default) selects the plugin as it
// is when the store holds no image of that name. This file holds the pure rules; the engine
// (core/src/engine/stage1_image.cpp) applies them to the store and the fetchers.
#ifndef RKT_CORE_STAGE1_SELECTION_HPP
#define RKT_CORE_STAGE1_SELECTION_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/config.hpp"
#include "rkt/core/result.hpp"

namespace rkt::stage1 {

/// The flavor that runs stage1 images through their entrypoint annotations.
inline constexpr char kImageFlavor[] = "aci";
/// The name prefix of rkt's own stage1 images, reserved for the built-in flavors.
inline constexpr char kBuiltinNamePrefix[] = "coreos.com/rkt/stage1-";

/// The flavor of a pod when nothing else selects one (`rkt run` without --stage1-* flags or
/// stage1.d, a pod directory without `flavor`): CMake's RKT_DEFAULT_STAGE1_FLAVOR.
std::string_view defaultFlavor();

/// Whether `name` can name a flavor (the `<name>` of plugin `stage1-<name>.so`): an AC name
/// without `/` (lowercase letters, digits and `-`, starting and ending with a letter or digit).
bool isFlavorName(std::string_view name);

/// The five --stage1-* flags; at most one is set.
struct Stage1Flags {
  enum class Kind { kUnset, kUrl, kPath, kName, kHash, kFromDir };
  Kind kind = Kind::kUnset;
  std::string location;

  /// Records `--<flag>=value`: "--stage1-name already used", "flags --stage1-path and
  /// --stage1-name are mutually exclusive".
  Status set(Kind k, std::string value);
};

/// "stage1-url", "stage1-path", ... (without dashes).
std::string_view stage1FlagName(Stage1Flags::Kind kind);

/// The built-in flavor an image name (with or without `:version`) stands for, per the table
/// above; nullopt for any other name (an image for the `aci` flavor).
std::optional<std::string> builtinFlavorForName(std::string_view name);

/// The flavor that runs a stage1 image named `name`: builtinFlavorForName, else kImageFlavor.
std::string flavorForImageName(std::string_view name);

/// rkt's build-default stage1 images directory: <dir of rkt>/../<pkglibdir>/stage1-images
/// (/usr/lib/rkt/stage1-images when installed, build/lib/rkt/stage1-images in the build tree).
/// Images in it are trusted (fetched without signature checks).
std::string defaultImagesDir();

/// The directory --stage1-from-dir names files in: paths `stage1-images`, else
/// defaultImagesDir().
std::string imagesDir(const config::Paths& paths);

/// rkt's isTrustedLocation: `location` (made absolute) lies inside `trustedDir`.
bool isTrustedLocation(const std::string& location, const std::string& trustedDir);

/// "stage1 flavor `kvm` is not installed (installed: fly)" or "... (no stage1 plugin is
/// installed)".
Error notInstalledError(const std::string& flavor, const std::vector<std::string>& installed);

}  // namespace rkt::stage1

#endif  // RKT_CORE_STAGE1_SELECTION_HPP
