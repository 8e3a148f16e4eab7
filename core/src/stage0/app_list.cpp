#include "rkt/core/stage0/app_list.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>

#include "rkt/base/quote.hpp"
#include "rkt/schema/names.hpp"
#include "rkt/schema/quantity.hpp"
#include "stage0/split_comma.hpp"

namespace rkt::stage0 {
namespace {

const std::vector<std::string_view> kPerAppFlags = {
    "name",
    "exec",
    "signature",
    "working-dir",
    "readonly-rootfs",
    "mount",
    "user",
    "group",
    "supplementary-gids",
    "annotation",
    "user-annotation",
    "user-label",
    "environment",
    "memory",
    "cpu",
    "cpu-shares",
    "caps-retain",
    "caps-remove",
    "cap-retain",
    "cap-remove",
    "seccomp",
    "oom-score-adj",
    "stdin",
    "stdout",
    "stderr",
};

Error mustFollow(std::string_view name, std::string_view what = "an image") {
  return Error{"--" + std::string(name) + " must follow " + std::string(what)};
}

// Go strconv.Atoi: optional sign, decimal digits, fits in an int64.
std::optional<long long> parseInt(const std::string& s) {
  if (s.empty())
    return std::nullopt;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size() ||
      !std::all_of(s.begin() + i, s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno == ERANGE)
    return std::nullopt;
  return v;
}

Error atoiError(const std::string& s) {
  return Error{"strconv.Atoi: parsing \"" + s + "\": invalid syntax"};
}

Result<std::pair<std::string, std::string>> keyValue(const std::string& s, std::string_view flag) {
  const std::size_t eq = s.find('=');
  if (eq == std::string::npos)
    return Error{"invalid format of --" + std::string(flag) + " flag \"" + s + "\""};
  return std::make_pair(s.substr(0, eq), s.substr(eq + 1));
}

Result<schema::Isolator> resourceIsolator(std::string_view name, const std::string& value) {
  // rkt's NewResource{Memory,CPU}Isolator(v, v): request = limit = the given quantity.
  Result<schema::Quantity> q = schema::Quantity::parse(value);
  if (!q)
    return q.error();
  const std::string json =
      "{\"request\":" + jsonQuote(value) + ",\"limit\":" + jsonQuote(value) + "}";
  return schema::isolatorFromJson(name, json);
}

Result<schema::Isolator> capsIsolator(std::string_view name, const std::string& value) {
  std::string json = "{\"set\":[";
  bool first = true;
  for (const std::string& cap : splitComma(value)) {
    json += (first ? "" : ",") + jsonQuote(cap);
    first = false;
  }
  json += "]}";
  return schema::isolatorFromJson(name, json);
}

Status setIoMode(std::string& target, std::string_view stream, const std::string& value) {
  const bool isIn = stream == "stdin";
  const bool ok =
      value == "null" || value == "stream" || value == "tty" || (!isIn && value == "log");
  if (!ok)
    return Error{"invalid " + std::string(stream) + " mode \"" + value + "\""};
  target = value;
  return {};
}

}  // namespace

void AppList::create(std::string image) {
  AppSpec app;
  app.image = std::move(image);
  apps.push_back(std::move(app));
}

const std::vector<std::string_view>& perAppFlagNames() {
  return kPerAppFlags;
}

bool isPerAppFlag(std::string_view name) {
  return std::find(kPerAppFlags.begin(), kPerAppFlags.end(), name) != kPerAppFlags.end();
}

bool isPerAppBoolFlag(std::string_view name) {
  return name == "readonly-rootfs";
}

Result<schema::Mount> parseMountFlag(const std::string& value) {
  schema::Mount mount;
  std::map<std::string, int> seen;
  for (const std::string& part : splitComma(value)) {
    if (part.empty())
      continue;
    const std::size_t eq = part.find('=');
    const std::string key = part.substr(0, eq);
    const std::string val = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (++seen[key] > 1)
      return Error{"label " + key + " with multiple values"};
    if (key == "volume") {
      if (Status s = schema::validateAcName(val); !s)
        return Error{"invalid volume name \"" + val + "\" in --mount flag \"" + value +
                     "\": " + s.error().message};
      mount.volume = val;
    } else if (key == "target") {
      mount.path = val;
    } else {
      return Error{"unknown mount parameter \"" + key + "\""};
    }
  }
  return mount;
}

Status setAppFlag(AppList& list, std::string_view name, const std::string& value) {
  if (name == "mount") {
    Result<schema::Mount> mount = parseMountFlag(value);
    if (!mount)
      return mount.error();
    (list.apps.empty() ? list.mounts : list.apps.back().mounts).push_back(*mount);
    return {};
  }
  AppSpec* app = list.last();
  if (app == nullptr) {
    const bool stdio = name == "stdin" || name == "stdout" || name == "stderr";
    // rkt says "--caps-retain must follow an image" for --caps-remove too; we name the flag.
    return mustFollow(name, stdio ? "an application" : "an image");
  }
  if (name == "name") {
    app->name = value;
  } else if (name == "exec" || name == "signature") {
    std::string& target = name == "exec" ? app->exec : app->signature;
    if (!target.empty())
      return Error{"--" + std::string(name) + " specified multiple times for the same image"};
    target = value;
  } else if (name == "working-dir") {
    app->workingDir = value;
  } else if (name == "readonly-rootfs") {
    if (value == "1" || value == "t" || value == "T" || value == "TRUE" || value == "true" ||
        value == "True")
      app->readOnlyRootFs = true;
    else if (value == "0" || value == "f" || value == "F" || value == "FALSE" || value == "false" ||
             value == "False")
      app->readOnlyRootFs = false;
    else
      return Error{"--readonly-rootfs must be set with a boolean"};
  } else if (name == "user") {
    app->user = value;
  } else if (name == "group") {
    app->group = value;
  } else if (name == "supplementary-gids") {
    std::vector<std::uint32_t> gids = app->supplementaryGids.value_or(std::vector<std::uint32_t>{});
    for (const std::string& g : splitComma(value)) {
      const std::optional<long long> gid = parseInt(g);
      if (!gid || *gid < 0 || *gid > 0xffffffffLL)
        return Error{"--supplementary-gids must be integers"};
      gids.push_back(static_cast<std::uint32_t>(*gid));
    }
    app->supplementaryGids = std::move(gids);
  } else if (name == "annotation" || name == "user-annotation" || name == "user-label" ||
             name == "environment") {
    Result<std::pair<std::string, std::string>> kv = keyValue(value, name);
    if (!kv)
      return kv.error();
    auto& [k, v] = *kv;
    if (name == "annotation") {
      if (Status s = schema::validateAcIdentifier(k); !s)
        return Error{"error parsing annotation key \"" + k + "\": " + s.error().message};
      schema::setValue(app->annotations, k, v);
    } else if (name == "user-annotation") {
      app->userAnnotations[k] = v;
    } else if (name == "user-label") {
      app->userLabels[k] = v;
    } else {
      schema::setValue(app->environment, k, v);
    }
  } else if (name == "memory") {
    Result<schema::Isolator> iso = resourceIsolator(schema::isolator::kResourceMemory, value);
    if (!iso)
      return iso.error();
    const auto* res = iso->as<schema::ResourceValue>();
    const std::optional<std::int64_t> bytes =
        res != nullptr && res->limit ? res->limit->value() : std::nullopt;
    if (!bytes || *bytes < 4096)
      return Error{"memory limit of " + std::to_string(bytes.value_or(0)) +
                   " bytes too low. Try a reasonable value, such as --memory=16M"};
    app->memory = *iso;
  } else if (name == "cpu") {
    Result<schema::Isolator> iso = resourceIsolator(schema::isolator::kResourceCpu, value);
    if (!iso)
      return iso.error();
    app->cpu = *iso;
  } else if (name == "cpu-shares" || name == "oom-score-adj") {
    const std::optional<long long> n = parseInt(value);
    if (!n)
      return atoiError(value);
    Result<schema::Isolator> iso = schema::isolatorFromJson(
        name == "cpu-shares" ? schema::isolator::kCpuShares : schema::isolator::kOomScoreAdj,
        std::to_string(*n));
    if (!iso)
      return iso.error();
    (name == "cpu-shares" ? app->cpuShares : app->oomScoreAdj) = *iso;
  } else if (name == "caps-retain" || name == "cap-retain") {
    Result<schema::Isolator> iso = capsIsolator(schema::isolator::kCapabilitiesRetainSet, value);
    if (!iso)
      return iso.error();
    app->capsRetain = *iso;
  } else if (name == "caps-remove" || name == "cap-remove") {
    Result<schema::Isolator> iso = capsIsolator(schema::isolator::kCapabilitiesRemoveSet, value);
    if (!iso)
      return iso.error();
    app->capsRemove = *iso;
  } else if (name == "seccomp") {
    app->seccomp = value;
  } else if (name == "stdin") {
    return setIoMode(app->stdinMode, name, value);
  } else if (name == "stdout") {
    return setIoMode(app->stdoutMode, name, value);
  } else if (name == "stderr") {
    return setIoMode(app->stderrMode, name, value);
  } else {
    return Error{"unknown per-app flag `--" + std::string(name) + "`"};
  }
  return {};
}

Status validateAppList(const AppList& list) {
  auto check = [&](const schema::Mount& m) -> Status {
    if (m.appVolume)
      return {};
    for (const schema::Volume& v : list.volumes) {
      if (v.name == m.volume)
        return {};
    }
    return Error{"dangling mount point \"" + m.path + "\": volume \"" + m.volume + "\" not found"};
  };
  for (const schema::Mount& m : list.mounts) {
    if (Status s = check(m); !s)
      return s;
  }
  for (const AppSpec& app : list.apps) {
    for (const schema::Mount& m : app.mounts) {
      if (Status s = check(m); !s)
        return s;
    }
  }
  return {};
}

}  // namespace rkt::stage0
