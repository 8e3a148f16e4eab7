#include "rkt/core/stage1/selection.hpp"

#include "rkt/schema/names.hpp"

#ifndef RKT_DEFAULT_STAGE1_FLAVOR
#define RKT_DEFAULT_STAGE1_FLAVOR "nspawn"
#endif

namespace rkt::stage1 {
namespace {

constexpr std::string_view kStage1Prefix = "stage1-";

Result<std::string> checkedFlavor(std::string_view base, std::string_view what) {
  if (base.substr(0, kStage1Prefix.size()) == kStage1Prefix)
    base.remove_prefix(kStage1Prefix.size());
  if (!isFlavorName(base))
    return Error{"cannot tell the stage1 flavor from " + std::string(what)};
  return std::string(base);
}

}  // namespace

std::string_view defaultFlavor() {
  return RKT_DEFAULT_STAGE1_FLAVOR;
}

bool isFlavorName(std::string_view name) {
  return schema::isValidAcName(name);  // AC names have no `/`
}

std::string_view stage1FlagName(Stage1Flags::Kind kind) {
  switch (kind) {
    case Stage1Flags::Kind::kUrl:
      return "stage1-url";
    case Stage1Flags::Kind::kPath:
      return "stage1-path";
    case Stage1Flags::Kind::kName:
      return "stage1-name";
    case Stage1Flags::Kind::kHash:
      return "stage1-hash";
    case Stage1Flags::Kind::kFromDir:
      return "stage1-from-dir";
    case Stage1Flags::Kind::kUnset:
      break;
  }
  return "";
}

Status Stage1Flags::set(Kind k, std::string value) {
  if (kind != Kind::kUnset) {
    if (kind == k)
      return Error{"--" + std::string(stage1FlagName(kind)) + " already used"};
    return Error{"flags --" + std::string(stage1FlagName(k)) + " and --" +
                 std::string(stage1FlagName(kind)) + " are mutually exclusive"};
  }
  kind = k;
  location = std::move(value);
  return {};
}

Result<std::string> flavorFromImageName(std::string_view name) {
  const std::string what = "image name \"" + std::string(name) + "\"";
  const std::size_t colon = name.find(':');
  std::string_view base = name.substr(0, colon);
  const std::size_t slash = base.rfind('/');
  if (slash != std::string_view::npos)
    base.remove_prefix(slash + 1);
  return checkedFlavor(base, what);
}

Result<std::string> flavorFromLocation(std::string_view location) {
  const std::string what = "\"" + std::string(location) + "\"";
  std::string_view base = location;
  const std::size_t query = base.find_first_of("?#");
  base = base.substr(0, query);
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  const std::size_t slash = base.rfind('/');
  if (slash != std::string_view::npos)
    base.remove_prefix(slash + 1);
  for (std::string_view ext : {".aci", ".so"}) {
    if (base.size() > ext.size() && base.substr(base.size() - ext.size()) == ext) {
      base.remove_suffix(ext.size());
      break;
    }
  }
  return checkedFlavor(base, what);
}

Result<std::string> selectFlavor(const Stage1Flags& flags, const config::Stage1& configured,
                                 std::string_view buildDefault) {
  switch (flags.kind) {
    case Stage1Flags::Kind::kName:
      return flavorFromImageName(flags.location);
    case Stage1Flags::Kind::kUrl:
    case Stage1Flags::Kind::kPath:
    case Stage1Flags::Kind::kFromDir:
      return flavorFromLocation(flags.location);
    case Stage1Flags::Kind::kHash:
      return Error{
          "--stage1-hash is not supported: stage1 flavors are plugins, not images "
          "(use --stage1-name=coreos.com/rkt/stage1-<flavor>)"};
    case Stage1Flags::Kind::kUnset:
      break;
  }
  if (!configured.name.empty())
    return flavorFromImageName(configured.name);
  if (!configured.location.empty())
    return flavorFromLocation(configured.location);
  return std::string(buildDefault);
}

Error notInstalledError(const std::string& flavor, const std::vector<std::string>& installed) {
  std::string list;
  for (const std::string& f : installed)
    list += (list.empty() ? "" : ", ") + f;
  return Error{
      "stage1 flavor `" + flavor + "` is not installed (" +
      (list.empty() ? std::string("no stage1 plugin is installed") : "installed: " + list) + ")"};
}

}  // namespace rkt::stage1
