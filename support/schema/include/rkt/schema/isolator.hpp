// appc isolators: `{"name": AC Identifier, "value": <JSON>}` entries in an app or a pod.
//
// Known isolators are decoded into typed values; an isolator this library does not know keeps its
// value as raw JSON (UnknownIsolatorValue) so it round-trips. In an *app* an unknown isolator makes
// the manifest invalid (as in the reference library, and so in rkt); at *pod* level it is allowed.
#ifndef RKT_CORE_SCHEMA_ISOLATOR_HPP
#define RKT_CORE_SCHEMA_ISOLATOR_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/schema/quantity.hpp"

namespace rkt::schema {

namespace isolator {
inline constexpr std::string_view kResourceCpu = "resource/cpu";
inline constexpr std::string_view kResourceMemory = "resource/memory";
inline constexpr std::string_view kResourceBlockBandwidth = "resource/block-bandwidth";
inline constexpr std::string_view kResourceBlockIops = "resource/block-iops";
inline constexpr std::string_view kResourceNetworkBandwidth = "resource/network-bandwidth";
inline constexpr std::string_view kCapabilitiesRetainSet = "os/linux/capabilities-retain-set";
inline constexpr std::string_view kCapabilitiesRemoveSet = "os/linux/capabilities-remove-set";
inline constexpr std::string_view kNoNewPrivileges = "os/linux/no-new-privileges";
inline constexpr std::string_view kSeccompRemoveSet = "os/linux/seccomp-remove-set";
inline constexpr std::string_view kSeccompRetainSet = "os/linux/seccomp-retain-set";
inline constexpr std::string_view kSelinuxContext = "os/linux/selinux-context";
inline constexpr std::string_view kApparmorProfile = "os/linux/apparmor-profile";
inline constexpr std::string_view kOomScoreAdj = "os/linux/oom-score-adj";
inline constexpr std::string_view kCpuShares = "os/linux/cpu-shares";
inline constexpr std::string_view kSysctl = "os/unix/sysctl";

/// Seccomp wildcards with a meaning defined by appc.
inline constexpr std::string_view kSeccompAll = "@appc.io/all";
inline constexpr std::string_view kSeccompEmpty = "@appc.io/empty";
}  // namespace isolator

/// `resource/*`: `{"default": bool, "request": Quantity, "limit": Quantity}`.
/// cpu/memory: `default` false, request and limit optional (cores / bytes).
/// block-bandwidth, block-iops, network-bandwidth: `default` true, no request, limit required.
struct ResourceValue {
  bool isDefault = false;  ///< JSON `default`
  std::optional<Quantity> request;
  std::optional<Quantity> limit;

  bool operator==(const ResourceValue& o) const {
    return isDefault == o.isDefault && request == o.request && limit == o.limit;
  }
};

/// `os/linux/capabilities-{retain,remove}-set`: `{"set": ["CAP_NET_ADMIN", ...]}`, non-empty.
struct CapabilitySet {
  std::vector<std::string> set;
  bool operator==(const CapabilitySet& o) const { return set == o.set; }
};

/// `os/linux/no-new-privileges`: a JSON boolean.
struct NoNewPrivileges {
  bool enabled = false;
  bool operator==(const NoNewPrivileges& o) const { return enabled == o.enabled; }
};

/// `os/linux/seccomp-{retain,remove}-set`: `{"set": [syscall or @group...], "errno": "EPERM"}`.
/// An empty errno means blocked syscalls kill the process with SIGSYS.
struct SeccompSet {
  std::vector<std::string> set;
  std::string errnoName;  ///< JSON `errno`; empty or `E[A-Z0-9]*`
  bool operator==(const SeccompSet& o) const { return set == o.set && errnoName == o.errnoName; }
};

/// `os/linux/selinux-context`: all four parts non-empty; user, role and type without `:`.
struct SelinuxContext {
  std::string user, role, type, level;
  bool operator==(const SelinuxContext& o) const {
    return user == o.user && role == o.role && type == o.type && level == o.level;
  }
};

/// `os/linux/apparmor-profile`: `{"profile": "name"}` (appc after 0.8.11).
struct ApparmorProfile {
  std::string profile;
  bool operator==(const ApparmorProfile& o) const { return profile == o.profile; }
};

/// `os/linux/oom-score-adj`: a JSON integer in -1000..1000.
struct OomScoreAdj {
  std::int64_t value = 0;
  bool operator==(const OomScoreAdj& o) const { return value == o.value; }
};

/// `os/linux/cpu-shares`: a JSON integer in 2..262144.
struct CpuShares {
  std::int64_t value = 0;
  bool operator==(const CpuShares& o) const { return value == o.value; }
};

/// `os/unix/sysctl`: `{"net.ipv4.ip_forward": "1", ...}`.
struct Sysctl {
  std::map<std::string, std::string> values;
  bool operator==(const Sysctl& o) const { return values == o.values; }
};

/// The value of an isolator this library does not know, as compact JSON text.
struct UnknownIsolatorValue {
  std::string json = "null";
  bool operator==(const UnknownIsolatorValue& o) const { return json == o.json; }
};

using IsolatorValue =
    std::variant<UnknownIsolatorValue, ResourceValue, CapabilitySet, NoNewPrivileges, SeccompSet,
                 SelinuxContext, ApparmorProfile, OomScoreAdj, CpuShares, Sysctl>;

/// One isolator. The alternative held by `value` must be the one its `name` calls for
/// (validateIsolator() checks it); parsing guarantees it.
struct Isolator {
  std::string name;
  IsolatorValue value;

  /// The value as T, or nullptr if it holds another type.
  template <class T>
  const T* as() const {
    return std::get_if<T>(&value);
  }
  bool operator==(const Isolator& o) const { return name == o.name && value == o.value; }
  bool operator!=(const Isolator& o) const { return !(*this == o); }
};
using Isolators = std::vector<Isolator>;

enum class IsolatorScope { App, Pod };

/// Whether `name` is one of the isolators above.
bool isKnownIsolator(std::string_view name);
/// The last isolator called `name` (the reference library's GetByName), or nullptr.
const Isolator* findIsolator(const Isolators& isolators, std::string_view name);

/// Checks the name (AC Identifier) and, for a known isolator, the value's type and rules.
Status validateIsolator(const Isolator& iso, std::string_view field = "isolator");
/// Every isolator, plus for IsolatorScope::App: no unknown names, at most one of each seccomp,
/// selinux, apparmor, oom-score-adj, cpu-shares and sysctl isolator, no seccomp retain+remove and
/// no capabilities retain+remove.
Status validateIsolators(const Isolators& isolators, IsolatorScope scope,
                         std::string_view field = "isolators");

/// Builds an isolator from its name and the JSON text of its value (e.g. for a CLI flag), and
/// validates it; `name` may be unknown.
Result<Isolator> isolatorFromJson(std::string_view name, std::string_view valueJson);
/// The JSON text of `iso`'s value (compact).
Result<std::string> isolatorValueToJson(const Isolator& iso);

/// The capability bounding set an app gets without a capabilities isolator (14 capabilities).
const std::vector<std::string>& defaultCapabilities();

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_ISOLATOR_HPP
