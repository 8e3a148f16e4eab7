// What the loader found out about one plugin file: loaded, or refused with a named reason.
#ifndef RKT_CORE_PLUGIN_REPORT_HPP
#define RKT_CORE_PLUGIN_REPORT_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/abi/plugin.h"

namespace rkt::plugin {

/// Why a plugin file was not loaded. Each value has a stable name (refusalName) that
/// `rkt plugins list` prints and scripts may match; docs/plugins.md explains each one.
enum class Refusal {
  None,                ///< loaded
  BadDirectory,        ///< its directory is not root-owned or is world-writable (checked as root)
  BadFile,             ///< the file is not root-owned or is world-writable (checked as root)
  BadFileName,         ///< the file name is not <kind>-<name>.so with a known kind
  Shadowed,            ///< a file with the same name comes earlier in the search path
  NotLoadable,         ///< dlopen failed (not an ELF object, missing library, undefined symbol)
  NoEntrySymbol,       ///< rkt_plugin_descriptor_v1 is not exported
  NoDescriptor,        ///< the entry function returned NULL
  AbiMajorMismatch,    ///< descriptor abi_major differs from the host's
  AbiMinorNewer,       ///< descriptor abi_minor is newer than the host's
  DescriptorTooLarge,  ///< descriptor struct_size is larger than the host's descriptor
  DescriptorTooSmall,  ///< descriptor struct_size does not cover the fields ABI 1.0 requires
  EmptyField,          ///< name, version, description or license is NULL or empty
  NoInit,              ///< the descriptor has no init function
  NameMismatch,        ///< descriptor name differs from the <name> in the file name
  InitFailed,          ///< init returned an error status
  InitException,       ///< init threw a C++ exception, caught by the SDK (RKT_E_EXCEPTION)
  DuplicateFactory,    ///< init registered a (kind, name) another file (or itself) registered
  NoFactory,           ///< init did not register the (kind, name) its file name promises
};

/// Stable kebab-case name of a refusal ("abi-major-mismatch"); "loaded" for Refusal::None.
std::string_view refusalName(Refusal refusal);

/// One factory a plugin registered.
struct FactoryInfo {
  rkt_kind kind = RKT_KIND_INVALID;
  std::string name;
};

/// The loader's findings about one plugin file.
struct PluginReport {
  std::string path;      ///< the file as found in the search path (directory + file name)
  std::string fileKind;  ///< <kind> from the file name ("" when the name does not parse)
  std::string fileName;  ///< <name> from the file name ("" when the name does not parse)

  bool haveAbi = false;  ///< abiMajor/abiMinor were read from the plugin's descriptor
  uint32_t abiMajor = 0;
  uint32_t abiMinor = 0;
  bool haveDescriptor = false;  ///< the fields below were read from the plugin's descriptor
  std::string name;             ///< may be empty even with a descriptor (then refused: empty-field)
  std::string version;
  std::string description;
  std::string license;
  std::string sdkBuild;

  std::vector<FactoryInfo> factories;  ///< what it registered; empty unless loaded

  Refusal refusal = Refusal::None;
  std::string message;  ///< one lowercase line explaining the refusal ("" when loaded)

  bool loaded() const { return refusal == Refusal::None; }
};

/// The name `rkt plugins list` shows: the descriptor's name, else the <name> of the file name,
/// else the file name itself.
std::string displayName(const PluginReport& report);

/// The kinds a plugin provides: the kinds it registered when loaded (each once, in ABI order),
/// otherwise the <kind> of its file name; empty when neither is known.
std::vector<std::string> displayKinds(const PluginReport& report);

/// `rkt plugins list --format=json`: an array with one object per report, in order:
///   {"path", "name", "kinds": [...], "version", "abi": "M.m" | null, "description", "license",
///    "sdk_build", "factories": [{"kind", "name"}], "status": "loaded" | "refused",
///    "reason" and "message" (refused only)}
/// Strings the plugin did not provide are null. Compact, or indented with tabs when `pretty`
/// (as rkt's json-pretty). No trailing newline.
std::string reportsToJson(const std::vector<PluginReport>& reports, bool pretty);

}  // namespace rkt::plugin

#endif  // RKT_CORE_PLUGIN_REPORT_HPP
