#include "plugin/gate.hpp"

#include <cstring>

#include "rkt/core/plugin/kinds.hpp"
#include "rkt/core/result.hpp"
#include "rkt/support/module/ownership.hpp"

namespace rkt::plugin::detail {
namespace {

std::string abiString(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string text(const char* s) {
  return s != nullptr ? s : "";
}

}  // namespace

std::optional<PluginFileName> parsePluginFileName(std::string_view fileName) {
  constexpr std::string_view kSuffix = ".so";
  if (fileName.size() <= kSuffix.size() ||
      fileName.substr(fileName.size() - kSuffix.size()) != kSuffix) {
    return std::nullopt;
  }
  std::string_view stem = fileName.substr(0, fileName.size() - kSuffix.size());
  auto dash = stem.find('-');
  if (dash == std::string_view::npos || dash + 1 == stem.size()) {
    return std::nullopt;
  }
  rkt_kind kind = kindFromName(stem.substr(0, dash));
  if (kind == RKT_KIND_INVALID) {
    return std::nullopt;
  }
  return PluginFileName{kind, std::string(stem.substr(dash + 1))};
}

Verdict checkOwnership(const std::string& path, const std::string& what, Refusal refusal) {
  if (Status s = module::checkOwnership(path, what); !s) {
    return {refusal, s.error().message};
  }
  return {};
}

Verdict checkDescriptor(const rkt_plugin_descriptor& d, const std::string& fileName,
                        const std::string& expectedName, PluginReport& report,
                        rkt_plugin_descriptor& out) {
  // struct_size, abi_major and abi_minor sit first in every ABI major: always readable.
  const size_t size = d.struct_size;
  constexpr size_t kHeaderSize = offsetof(rkt_plugin_descriptor, abi_minor) + sizeof(uint32_t);
  if (size < kHeaderSize) {
    return {Refusal::DescriptorTooSmall,
            "descriptor struct_size " + std::to_string(size) + " is smaller than the " +
                std::to_string(kMinDescriptorSize) + " bytes ABI 1.0 requires"};
  }
  report.haveAbi = true;
  report.abiMajor = d.abi_major;
  report.abiMinor = d.abi_minor;
  const std::string pluginAbi = abiString(d.abi_major, d.abi_minor);
  const std::string hostAbi = abiString(RKT_PLUGIN_ABI_MAJOR, RKT_PLUGIN_ABI_MINOR);
  if (d.abi_major != RKT_PLUGIN_ABI_MAJOR) {
    // Nothing past the header has a known layout in another major.
    return {Refusal::AbiMajorMismatch,
            "plugin ABI " + pluginAbi + " has another major version than host ABI " + hostAbi};
  }

  // Within our major, fields are only appended: the prefix we know is safe to read.
  std::memset(&out, 0, sizeof out);
  if (size >= kMinDescriptorSize) {
    std::memcpy(&out, &d, std::min(size, sizeof out));
    report.haveDescriptor = true;
    report.name = text(out.name);
    report.version = text(out.version);
    report.description = text(out.description);
    report.license = text(out.license);
    report.sdkBuild = text(out.sdk_build);
  }
  if (d.abi_minor > RKT_PLUGIN_ABI_MINOR) {
    return {Refusal::AbiMinorNewer, "plugin ABI " + pluginAbi + " is newer than host ABI " +
                                        hostAbi + "; upgrade rkt or rebuild the plugin"};
  }
  if (size > sizeof(rkt_plugin_descriptor)) {
    return {Refusal::DescriptorTooLarge,
            "descriptor struct_size " + std::to_string(size) + " is larger than the host's " +
                std::to_string(sizeof(rkt_plugin_descriptor)) + " for ABI " + pluginAbi};
  }
  if (size < kMinDescriptorSize) {
    return {Refusal::DescriptorTooSmall,
            "descriptor struct_size " + std::to_string(size) + " is smaller than the " +
                std::to_string(kMinDescriptorSize) + " bytes ABI 1.0 requires"};
  }
  const std::pair<const char*, const std::string*> required[] = {
      {"name", &report.name},
      {"version", &report.version},
      {"description", &report.description},
      {"license", &report.license},
  };
  for (const auto& [field, value] : required) {
    if (value->empty()) {
      return {Refusal::EmptyField,
              "required descriptor field `" + std::string(field) + "` is empty"};
    }
  }
  if (out.init == nullptr) {
    return {Refusal::NoInit, "descriptor has no `init` function"};
  }
  if (report.name != expectedName) {
    return {Refusal::NameMismatch,
            "descriptor name `" + report.name + "` does not match file name `" + fileName + "`"};
  }
  return {};
}

}  // namespace rkt::plugin::detail
