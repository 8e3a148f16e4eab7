// Isolator rules (appc spec/ace.md and the reference library's isolator*.go).
#include "rkt/schema/isolator.hpp"

#include <map>

#include "codec.hpp"
#include "field_path.hpp"
#include "rkt/schema/names.hpp"

namespace rkt::schema {

using detail::atField;
using detail::childPath;
using detail::fieldError;
using detail::indexPath;
using detail::quote;

namespace iso = isolator;

namespace {

template <class T>
size_t alternativeIndex() {
  return IsolatorValue(std::in_place_type<T>).index();
}

// The value type each known isolator carries.
const std::map<std::string_view, size_t>& knownIsolators() {
  static const std::map<std::string_view, size_t> kKnown = {
      {iso::kResourceCpu, alternativeIndex<ResourceValue>()},
      {iso::kResourceMemory, alternativeIndex<ResourceValue>()},
      {iso::kResourceBlockBandwidth, alternativeIndex<ResourceValue>()},
      {iso::kResourceBlockIops, alternativeIndex<ResourceValue>()},
      {iso::kResourceNetworkBandwidth, alternativeIndex<ResourceValue>()},
      {iso::kCapabilitiesRetainSet, alternativeIndex<CapabilitySet>()},
      {iso::kCapabilitiesRemoveSet, alternativeIndex<CapabilitySet>()},
      {iso::kNoNewPrivileges, alternativeIndex<NoNewPrivileges>()},
      {iso::kSeccompRemoveSet, alternativeIndex<SeccompSet>()},
      {iso::kSeccompRetainSet, alternativeIndex<SeccompSet>()},
      {iso::kSelinuxContext, alternativeIndex<SelinuxContext>()},
      {iso::kApparmorProfile, alternativeIndex<ApparmorProfile>()},
      {iso::kOomScoreAdj, alternativeIndex<OomScoreAdj>()},
      {iso::kCpuShares, alternativeIndex<CpuShares>()},
      {iso::kSysctl, alternativeIndex<Sysctl>()},
  };
  return kKnown;
}

Status checkQuantity(const std::optional<Quantity>& q, std::string_view path) {
  if (q && q->isNegative())
    return fieldError(path, "must not be negative, got " + quote(q->text()));
  return {};
}

Status validateResource(std::string_view name, const ResourceValue& r, std::string_view path) {
  const bool cpuOrMemory = name == iso::kResourceCpu || name == iso::kResourceMemory;
  if (cpuOrMemory && r.isDefault)
    return fieldError(childPath(path, "default"), "must be false for " + quote(name));
  if (!cpuOrMemory) {
    if (!r.isDefault)
      return fieldError(childPath(path, "default"), "must be true for " + quote(name));
    if (r.request)
      return fieldError(childPath(path, "request"), "is not allowed for " + quote(name));
    if (!r.limit)
      return fieldError(childPath(path, "limit"), "must be set for " + quote(name));
  }
  RKT_SCHEMA_CHECK(checkQuantity(r.request, childPath(path, "request")));
  return checkQuantity(r.limit, childPath(path, "limit"));
}

Status validateSet(const std::vector<std::string>& set, std::string_view path) {
  if (set.empty())
    return fieldError(path, "must not be empty");
  for (size_t i = 0; i < set.size(); ++i) {
    if (set[i].empty())
      return fieldError(indexPath(path, i), "must not be empty");
  }
  return {};
}

bool isErrnoName(std::string_view s) {
  if (s.empty() || s[0] != 'E')
    return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

Status validateSelinux(const SelinuxContext& c, std::string_view path) {
  const std::pair<const char*, const std::string*> parts[] = {
      {"user", &c.user}, {"role", &c.role}, {"type", &c.type}, {"level", &c.level}};
  for (const auto& [key, value] : parts) {
    if (value->empty())
      return fieldError(childPath(path, key), "must not be empty");
    // The level may contain `:` (s0:c1,c2); the other parts may not.
    if (std::string_view(key) != "level" && value->find(':') != std::string::npos)
      return fieldError(childPath(path, key), "must not contain `:`");
  }
  return {};
}

// Validation of a value whose type already matches its (known) name.
Status validateValue(const Isolator& i, std::string_view path) {
  if (auto* r = i.as<ResourceValue>())
    return validateResource(i.name, *r, path);
  if (auto* c = i.as<CapabilitySet>())
    return validateSet(c->set, childPath(path, "set"));
  if (auto* s = i.as<SeccompSet>()) {
    RKT_SCHEMA_CHECK(validateSet(s->set, childPath(path, "set")));
    if (!s->errnoName.empty() && !isErrnoName(s->errnoName))
      return fieldError(childPath(path, "errno"),
                        "must be an errno name like EPERM, got " + quote(s->errnoName));
    return {};
  }
  if (auto* c = i.as<SelinuxContext>())
    return validateSelinux(*c, path);
  if (auto* p = i.as<ApparmorProfile>()) {
    if (p->profile.empty())
      return fieldError(childPath(path, "profile"), "must not be empty");
    return {};
  }
  if (auto* o = i.as<OomScoreAdj>()) {
    if (o->value < -1000 || o->value > 1000)
      return fieldError(path, "must be between -1000 and 1000, got " + std::to_string(o->value));
    return {};
  }
  if (auto* c = i.as<CpuShares>()) {
    if (c->value < 2 || c->value > 262144)
      return fieldError(path, "must be between 2 and 262144, got " + std::to_string(c->value));
    return {};
  }
  if (auto* s = i.as<Sysctl>()) {
    for (const auto& [key, value] : s->values) {
      if (key.empty())
        return fieldError(path, "sysctl names must not be empty");
    }
    return {};
  }
  return {};  // NoNewPrivileges: any boolean
}

// Isolators of which an app may have only one.
bool isSingleton(std::string_view name) {
  return name == iso::kSeccompRemoveSet || name == iso::kSeccompRetainSet ||
         name == iso::kSelinuxContext || name == iso::kApparmorProfile ||
         name == iso::kOomScoreAdj || name == iso::kCpuShares || name == iso::kSysctl;
}

}  // namespace

bool isKnownIsolator(std::string_view name) {
  return knownIsolators().count(name) != 0;
}

const Isolator* findIsolator(const Isolators& isolators, std::string_view name) {
  for (auto it = isolators.rbegin(); it != isolators.rend(); ++it) {
    if (it->name == name)
      return &*it;
  }
  return nullptr;
}

Status validateIsolator(const Isolator& i, std::string_view field) {
  RKT_SCHEMA_CHECK(atField(childPath(field, "name"), validateAcIdentifier(i.name)));
  const std::string valueAt = childPath(field, "value");
  auto known = knownIsolators().find(i.name);
  if (known == knownIsolators().end()) {
    if (!i.as<UnknownIsolatorValue>())
      return fieldError(valueAt, "a typed value needs a known isolator name, not " + quote(i.name));
    return {};
  }
  if (i.value.index() != known->second)
    return fieldError(valueAt, "holds the wrong kind of value for " + quote(i.name));
  return validateValue(i, valueAt);
}

Status validateIsolators(const Isolators& isolators, IsolatorScope scope, std::string_view field) {
  std::map<std::string_view, size_t> firstAt;
  for (size_t i = 0; i < isolators.size(); ++i) {
    const std::string at = indexPath(field, i);
    const Isolator& isolator = isolators[i];
    RKT_SCHEMA_CHECK(validateIsolator(isolator, at));
    if (scope == IsolatorScope::Pod)
      continue;  // the reference library checks pod isolators one by one only
    if (!isKnownIsolator(isolator.name))
      return fieldError(childPath(at, "name"), "unknown isolator " + quote(isolator.name));
    auto conflict = [&](std::string_view other) -> Status {
      auto it = firstAt.find(other);
      if (it == firstAt.end())
        return {};
      return fieldError(at, quote(isolator.name) + " conflicts with " + quote(other) + " at " +
                                quote(indexPath(field, it->second)));
    };
    if (isolator.name == iso::kSeccompRetainSet)
      RKT_SCHEMA_CHECK(conflict(iso::kSeccompRemoveSet));
    if (isolator.name == iso::kSeccompRemoveSet)
      RKT_SCHEMA_CHECK(conflict(iso::kSeccompRetainSet));
    if (isolator.name == iso::kCapabilitiesRetainSet)
      RKT_SCHEMA_CHECK(conflict(iso::kCapabilitiesRemoveSet));
    if (isolator.name == iso::kCapabilitiesRemoveSet)
      RKT_SCHEMA_CHECK(conflict(iso::kCapabilitiesRetainSet));
    if (isSingleton(isolator.name) && firstAt.count(isolator.name))
      return fieldError(at, "only one " + quote(isolator.name) + " isolator is allowed");
    firstAt.emplace(isolator.name, i);
  }
  return {};
}

Result<Isolator> isolatorFromJson(std::string_view name, std::string_view valueJson) {
  Isolator out;
  out.name = std::string(name);
  try {
    out.value = detail::decodeIsolatorValue(name, detail::parseJsonValue(valueJson), "value");
  } catch (const detail::JsonError& e) {
    return Error{"invalid isolator " + quote(name) + ": " + e.what()};
  }
  if (auto s = validateIsolator(out, ""); !s)
    return Error{"invalid isolator " + quote(name) + ": " + s.error().message};
  return out;
}

Result<std::string> isolatorValueToJson(const Isolator& i) {
  try {
    return detail::toJsonText(detail::encodeIsolatorValue(i, "value"));
  } catch (const detail::JsonError& e) {
    return Error{"cannot encode isolator " + quote(i.name) + ": " + e.what()};
  }
}

const std::vector<std::string>& defaultCapabilities() {
  static const std::vector<std::string> kDefault = {
      "CAP_AUDIT_WRITE", "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
      "CAP_KILL",        "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_NET_BIND_SERVICE", "CAP_SETUID",
      "CAP_SETGID",      "CAP_SETPCAP", "CAP_SETFCAP",      "CAP_SYS_CHROOT"};
  return kDefault;
}

}  // namespace rkt::schema
