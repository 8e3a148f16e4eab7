// Pod volumes, mounts and exposed ports, and rkt's `--volume` string form.
#include <arpa/inet.h>

#include <map>

#include "field_path.hpp"
#include "rkt/schema/names.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::schema {

using detail::atField;
using detail::childPath;
using detail::fieldError;
using detail::quote;

namespace {

constexpr std::string_view kDefaultEmptyMode = "0755";
constexpr std::int64_t kMaxId = 4294967295;  // uid_t/gid_t are 32 bits

bool isOctalMode(std::string_view mode) {
  if (mode.empty() || mode.size() > 12)
    return false;
  unsigned long value = 0;
  for (char c : mode) {
    if (c < '0' || c > '7')
      return false;
    value = value * 8 + static_cast<unsigned long>(c - '0');
  }
  return value <= 07777;
}

bool isIpLiteral(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// Go's strconv.ParseBool spellings.
std::optional<bool> parseGoBool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True")
    return true;
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False")
    return false;
  return std::nullopt;
}

std::optional<std::int64_t> parseId(std::string_view s) {
  if (s.empty() || s.size() > 10)
    return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

void setVolumeDefaults(Volume& volume) {
  if (volume.kind != kVolumeKindEmpty)
    return;
  if (!volume.mode)
    volume.mode = std::string(kDefaultEmptyMode);
  if (!volume.uid)
    volume.uid = 0;
  if (!volume.gid)
    volume.gid = 0;
}

Status validateVolume(const Volume& v, std::string_view field) {
  RKT_SCHEMA_CHECK(atField(childPath(field, "name"), validateAcName(v.name)));
  const std::string kindAt = childPath(field, "kind");
  if (v.kind == kVolumeKindHost) {
    const std::string sourceAt = childPath(field, "source");
    if (v.source.empty())
      return fieldError(sourceAt, "must be set for a host volume");
    if (v.source[0] != '/')
      return fieldError(sourceAt, "must be an absolute path, got " + quote(v.source));
    if (v.mode)
      return fieldError(childPath(field, "mode"), "is not allowed for a host volume");
    if (v.uid)
      return fieldError(childPath(field, "uid"), "is not allowed for a host volume");
    if (v.gid)
      return fieldError(childPath(field, "gid"), "is not allowed for a host volume");
    return {};
  }
  if (v.kind == kVolumeKindEmpty) {
    if (!v.source.empty())
      return fieldError(childPath(field, "source"), "is not allowed for an empty volume");
    if (v.mode && !isOctalMode(*v.mode))
      return fieldError(childPath(field, "mode"),
                        "must be an octal mode like 0755, got " + quote(*v.mode));
    if (v.uid && (*v.uid < 0 || *v.uid > kMaxId))
      return fieldError(childPath(field, "uid"), "must be between 0 and 4294967295");
    if (v.gid && (*v.gid < 0 || *v.gid > kMaxId))
      return fieldError(childPath(field, "gid"), "must be between 0 and 4294967295");
    return {};
  }
  if (v.kind.empty())
    return fieldError(kindAt, "must be set (`host` or `empty`)");
  return fieldError(kindAt, "must be `host` or `empty`, got " + quote(v.kind));
}

Result<Volume> volumeFromString(std::string_view spec) {
  auto bad = [&](const std::string& why) {
    return Error{"invalid volume " + quote(spec) + ": " + why};
  };
  Volume v;
  std::map<std::string, std::string> seen;
  std::string_view rest = spec;
  bool first = true;
  while (true) {
    const size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    std::string key, value;
    if (first) {
      key = "name";
      value = std::string(part);
      first = false;
    } else {
      const size_t eq = part.find('=');
      if (eq == std::string_view::npos)
        return bad("parameter " + quote(part) + " has no value");
      key = std::string(part.substr(0, eq));
      value = std::string(part.substr(eq + 1));
    }
    if (!seen.emplace(key, value).second)
      return bad("parameter " + quote(key) + " given more than once");
    if (key == "name") {
      v.name = value;
    } else if (key == "kind") {
      v.kind = value;
    } else if (key == "source") {
      v.source = value;
    } else if (key == "readOnly" || key == "recursive") {
      auto b = parseGoBool(value);
      if (!b)
        return bad(quote(key) + " must be true or false, got " + quote(value));
      (key == "readOnly" ? v.readOnly : v.recursive) = *b;
    } else if (key == "mode") {
      v.mode = value;
    } else if (key == "uid" || key == "gid") {
      auto id = parseId(value);
      if (!id)
        return bad(quote(key) + " must be a number, got " + quote(value));
      (key == "uid" ? v.uid : v.gid) = *id;
    } else {
      return bad("unknown volume parameter " + quote(key));
    }
    if (comma == std::string_view::npos)
      break;
    rest = rest.substr(comma + 1);
  }
  setVolumeDefaults(v);
  if (auto s = validateVolume(v, ""); !s)
    return bad(s.error().message);
  return v;
}

std::string volumeToString(const Volume& v) {
  std::string s = v.name + ",kind=" + v.kind;
  if (!v.source.empty())
    s += ",source=" + v.source;
  if (v.readOnly)
    s += std::string(",readOnly=") + (*v.readOnly ? "true" : "false");
  if (v.recursive)
    s += std::string(",recursive=") + (*v.recursive ? "true" : "false");
  // Like the reference String(), an empty volume's defaults are left out.
  if (v.mode && *v.mode != kDefaultEmptyMode)
    s += ",mode=" + *v.mode;
  if (v.uid && *v.uid != 0)
    s += ",uid=" + std::to_string(*v.uid);
  if (v.gid && *v.gid != 0)
    s += ",gid=" + std::to_string(*v.gid);
  return s;
}

Status validateMount(const Mount& m, std::string_view field) {
  RKT_SCHEMA_CHECK(atField(childPath(field, "volume"), validateAcName(m.volume)));
  if (m.path.empty())
    return fieldError(childPath(field, "path"), "must not be empty");
  if (m.appVolume)
    RKT_SCHEMA_CHECK(validateVolume(*m.appVolume, childPath(field, "appVolume")));
  return {};
}

Status validateExposedPort(const ExposedPort& p, std::string_view field) {
  RKT_SCHEMA_CHECK(atField(childPath(field, "name"), validateAcName(p.name)));
  if (p.hostPort < 1 || p.hostPort > 65535)
    return fieldError(childPath(field, "hostPort"),
                      "must be between 1 and 65535, got " + std::to_string(p.hostPort));
  if (!p.hostIp.empty() && !isIpLiteral(p.hostIp))
    return fieldError(childPath(field, "hostIP"), "not an IP address: " + quote(p.hostIp));
  if (p.podPort)
    RKT_SCHEMA_CHECK(validatePort(*p.podPort, childPath(field, "podPort")));
  return {};
}

}  // namespace rkt::schema
