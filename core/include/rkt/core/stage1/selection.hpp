// Which stage1 a pod runs (rkt-notes §3.4). rkt picks a stage1 *image*; here every stage1 flavor
// is a plugin (`stage1-<flavor>.so`), so each way of naming a stage1 image is mapped onto a
// flavor name:
//
//   --stage1-name=coreos.com/rkt/stage1-fly[:1.30.0]   -> fly   (also a bare `fly`)
//   --stage1-path=/usr/lib/rkt/stage1-images/stage1-fly.aci, --stage1-url=https://…/stage1-fly.aci,
//   --stage1-from-dir=stage1-fly.aci                    -> fly   (the file name)
//   stage1.d `name` (+`version`) or `location`          -> the same rules, when no flag is given
//   nothing                                             -> the build-time default flavor
//
// `--stage1-hash` names an image by content and cannot name a plugin: it is refused with a
// message saying so.
#ifndef RKT_CORE_STAGE1_SELECTION_HPP
#define RKT_CORE_STAGE1_SELECTION_HPP

#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/config.hpp"
#include "rkt/core/result.hpp"

namespace rkt::stage1 {

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

/// The flavor a stage1 image name stands for: the last path component without `:version`,
/// without its `stage1-` prefix ("coreos.com/rkt/stage1-fly:1.30.0" -> "fly"); a bare flavor
/// name is itself.
Result<std::string> flavorFromImageName(std::string_view name);
/// The flavor a stage1 image file or URL stands for: its file name without `.aci` (or `.so`)
/// and without the `stage1-` prefix ("/x/stage1-fly.aci" -> "fly").
Result<std::string> flavorFromLocation(std::string_view location);

/// The flavor from flags, else configuration, else `buildDefault`.
Result<std::string> selectFlavor(const Stage1Flags& flags, const config::Stage1& configured,
                                 std::string_view buildDefault = defaultFlavor());

/// "stage1 flavor `kvm` is not installed (installed: fly)" or "... (no stage1 plugin is
/// installed)".
Error notInstalledError(const std::string& flavor, const std::vector<std::string>& installed);

}  // namespace rkt::stage1

#endif  // RKT_CORE_STAGE1_SELECTION_HPP
