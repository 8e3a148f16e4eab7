#include "rkt/core/stage1/selection.hpp"

#include <filesystem>

#include "rkt/schema/names.hpp"
#include "util/executable_dir.hpp"

#ifndef RKT_DEFAULT_STAGE1_FLAVOR
#define RKT_DEFAULT_STAGE1_FLAVOR "nspawn"
#endif

namespace rkt::stage1 {
namespace {

// rkt's own stage1 flavors that our plugins stand in for (docs/stage1-images.md).
std::string aliasedFlavor(std::string_view suffix) {
  if (suffix == "coreos" || suffix == "host" || suffix.substr(0, 4) == "src-" || suffix == "src")
    return "nspawn";
  if (suffix == "kvm" || suffix == "kvm-qemu")
    return "qemu-kvm";
  if (suffix == "kvm-lkvm")
    return "lkvm";
  return std::string(suffix);
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

std::optional<std::string> builtinFlavorForName(std::string_view name) {
  const std::string_view base = name.substr(0, name.find(':'));
  if (isFlavorName(base))
    return std::string(base);  // a bare flavor name
  const std::string_view prefix = kBuiltinNamePrefix;
  if (base.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  const std::string flavor = aliasedFlavor(base.substr(prefix.size()));
  if (!isFlavorName(flavor))
    return std::nullopt;
  return flavor;
}

std::string flavorForImageName(std::string_view name) {
  return builtinFlavorForName(name).value_or(kImageFlavor);
}

std::string defaultImagesDir() {
  const std::string exe = util::executableDir();
  if (exe.empty())
    return "/" RKT_PKGLIBDIR "/stage1-images";
  return (std::filesystem::path(exe) / ".." / RKT_PKGLIBDIR / "stage1-images")
      .lexically_normal()
      .string();
}

std::string imagesDir(const config::Paths& paths) {
  return paths.stage1Images.empty() ? defaultImagesDir() : paths.stage1Images;
}

bool isTrustedLocation(const std::string& location, const std::string& trustedDir) {
  if (location.empty() || trustedDir.empty())
    return false;
  std::error_code ec;
  std::string abs = std::filesystem::absolute(location, ec).lexically_normal().string();
  if (ec)
    return false;
  std::string dir = std::filesystem::path(trustedDir).lexically_normal().string();
  while (dir.size() > 1 && dir.back() == '/')
    dir.pop_back();
  return abs.size() > dir.size() + 1 && abs.compare(0, dir.size(), dir) == 0 &&
         abs[dir.size()] == '/';
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
