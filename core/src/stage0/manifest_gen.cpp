#include "rkt/core/stage0/manifest_gen.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>

#include "rkt/base/quote.hpp"
#include "rkt/core/net/forwarded_ports.hpp"
#include "rkt/schema/names.hpp"
#include "stage0/split_comma.hpp"

namespace rkt::stage0 {
namespace {

// path.Clean for absolute or relative slash paths.
std::string cleanPath(const std::string& p) {
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i <= p.size()) {
    const std::size_t slash = std::min(p.find('/', i), p.size());
    const std::string part = p.substr(i, slash - i);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else if (p.empty() || p[0] != '/')
        parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = slash + 1;
  }
  std::string out = (!p.empty() && p[0] == '/') ? "/" : "";
  for (std::size_t k = 0; k < parts.size(); ++k)
    out += (k == 0 ? "" : "/") + parts[k];
  return out.empty() ? "." : out;
}

// Per-app mounts first, then the pod-wide ones; the first mount of each cleaned path wins.
std::vector<schema::Mount> mergeMounts(const std::vector<schema::Mount>& appMounts,
                                       const std::vector<schema::Mount>& global) {
  std::vector<schema::Mount> out;
  std::set<std::string> seen;
  for (const auto* list : {&appMounts, &global}) {
    for (const schema::Mount& m : *list) {
      if (seen.insert(cleanPath(m.path)).second)
        out.push_back(m);
    }
  }
  return out;
}

void replaceByNames(schema::Isolators& isolators, const schema::Isolator& iso,
                    std::initializer_list<std::string_view> names) {
  isolators.erase(std::remove_if(isolators.begin(), isolators.end(),
                                 [&](const schema::Isolator& i) {
                                   return std::find(names.begin(), names.end(), i.name) !=
                                          names.end();
                                 }),
                  isolators.end());
  isolators.push_back(iso);
}

Status applyIsolators(const AppSpec& spec, schema::App& app) {
  namespace n = schema::isolator;
  if (spec.memory)
    replaceByNames(app.isolators, *spec.memory, {n::kResourceMemory});
  if (spec.cpu)
    replaceByNames(app.isolators, *spec.cpu, {n::kResourceCpu});
  if (spec.cpuShares)
    replaceByNames(app.isolators, *spec.cpuShares, {n::kCpuShares});
  if (spec.oomScoreAdj)
    replaceByNames(app.isolators, *spec.oomScoreAdj, {n::kOomScoreAdj});
  if (spec.capsRetain && spec.capsRemove)
    return Error{"error: cannot use both --caps-retain and --caps-remove on the same image"};
  if (spec.capsRetain || spec.capsRemove)
    replaceByNames(app.isolators, spec.capsRetain ? *spec.capsRetain : *spec.capsRemove,
                   {n::kCapabilitiesRetainSet, n::kCapabilitiesRemoveSet});
  if (!spec.seccomp.empty()) {
    Result<schema::Isolator> iso = seccompIsolatorFromFlag(spec.seccomp);
    if (!iso)
      return iso.error();
    replaceByNames(app.isolators, *iso, {n::kSeccompRemoveSet, n::kSeccompRetainSet});
  }
  return {};
}

}  // namespace

Result<std::string> appNameFromImageName(std::string_view imageName) {
  const std::size_t slash = imageName.rfind('/');
  const std::string_view last =
      slash == std::string_view::npos ? imageName : imageName.substr(slash + 1);
  return schema::sanitizeAcName(last);
}

Result<schema::ExposedPort> parsePortFlag(const std::string& value) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (parts.size() < 2) {
    const std::size_t colon = value.find(':', start);
    if (colon == std::string::npos)
      break;
    parts.push_back(value.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(value.substr(start));
  if (parts.size() < 2)
    return Error{"\"" + value + "\" is not in name:[ip:]port format"};
  if (Status s = schema::validateAcName(parts[0]); !s)
    return Error{"\"" + parts[0] + "\" is not a valid port name: " + s.error().message};
  schema::ExposedPort port;
  port.name = parts[0];
  std::string portText = parts[1];
  if (parts.size() == 3) {
    portText = parts[2];
    unsigned char buf[16];
    if (inet_pton(AF_INET, parts[1].c_str(), buf) != 1 &&
        inet_pton(AF_INET6, parts[1].c_str(), buf) != 1)
      return Error{"\"" + parts[1] + "\" is not a valid IP"};
    port.hostIp = parts[1];
  }
  char* end = nullptr;
  errno = 0;
  const unsigned long n = std::strtoul(portText.c_str(), &end, 10);
  if (portText.empty() || *end != '\0' || errno != 0 || n > 65535 || portText[0] == '-' ||
      portText[0] == '+')
    return Error{"\"" + parts[1] + "\" is not a valid port number"};
  port.hostPort = static_cast<std::uint32_t>(n);
  return port;
}

Result<schema::Isolator> seccompIsolatorFromFlag(const std::string& value) {
  std::string mode;
  std::string errnoName;
  std::vector<std::string> set;
  for (const std::string& item : splitComma(value)) {
    const std::size_t eq = item.find('=');
    if (eq != std::string::npos && item.find('=', eq + 1) == std::string::npos) {
      const std::string key = item.substr(0, eq);
      if (key == "mode") {
        mode = item.substr(eq + 1);
        if (mode != "remove" && mode != "retain")
          return Error{"invalid seccomp mode command-line override"};
      } else if (key == "errno") {
        errnoName = item.substr(eq + 1);
      } else {
        return Error{"invalid seccomp command-line override"};
      }
    } else {
      set.push_back(item);
    }
  }
  if (mode.empty())
    return Error{"invalid seccomp mode command-line override"};
  std::string json = "{\"set\":[";
  for (std::size_t i = 0; i < set.size(); ++i)
    json += (i == 0 ? "" : ",") + jsonQuote(set[i]);
  json += "]";
  if (!errnoName.empty())
    json += ",\"errno\":" + jsonQuote(errnoName);
  json += "}";
  return schema::isolatorFromJson(
      mode == "retain" ? schema::isolator::kSeccompRetainSet : schema::isolator::kSeccompRemoveSet,
      json);
}

Result<schema::RuntimeApp> generateRuntimeApp(const AppSpec& spec, const ResolvedImage& image,
                                              const std::vector<schema::Mount>& globalMounts,
                                              const PodEnvironment& env,
                                              const ManifestOptions& options) {
  const schema::ImageManifest& am = image.manifest;
  schema::RuntimeApp ra;
  if (!spec.name.empty()) {
    ra.name = spec.name;
  } else {
    Result<std::string> name = appNameFromImageName(am.name);
    if (!name)
      return name.error().wrap("error converting image name to app name");
    ra.name = *name;
  }
  if (Status s = schema::validateAcName(ra.name); !s)
    return s.error().wrap("invalid app name format");
  if (!am.app && spec.exec.empty())
    return Error{"error: image " + image.id +
                 " has no app section and --exec argument is not provided"};

  ra.image.name = am.name;
  ra.image.id = image.id;
  ra.image.labels = am.labels;
  ra.mounts = mergeMounts(spec.mounts, globalMounts);
  ra.readOnlyRootFs = spec.readOnlyRootFs.value_or(false);

  schema::App app;
  if (am.app) {
    app = *am.app;
  } else {
    app.user = std::to_string(options.callerUid);
    app.group = std::to_string(options.callerGid);
  }
  if (!spec.exec.empty())
    app.exec = {spec.exec};
  if (spec.hasArgs)
    app.exec.insert(app.exec.end(), spec.args.begin(), spec.args.end());
  if (!spec.workingDir.empty())
    app.workingDirectory = spec.workingDir;
  if (Status s = applyIsolators(spec, app); !s)
    return s.error();
  if (!spec.user.empty())
    app.user = spec.user;
  if (!spec.group.empty())
    app.group = spec.group;
  if (spec.supplementaryGids)
    app.supplementaryGids = *spec.supplementaryGids;
  for (const schema::Annotation& a : spec.annotations)
    schema::setValue(ra.annotations, a.name, a.value);
  if (!spec.userAnnotations.empty())
    app.userAnnotations = spec.userAnnotations;
  if (!spec.userLabels.empty())
    app.userLabels = spec.userLabels;
  if (!spec.stdinMode.empty())
    schema::setValue(ra.annotations, kStdinAnnotation, spec.stdinMode);
  if (!spec.stdoutMode.empty())
    schema::setValue(ra.annotations, kStdoutAnnotation, spec.stdoutMode);
  if (!spec.stderrMode.empty())
    schema::setValue(ra.annotations, kStderrAnnotation, spec.stderrMode);
  app.environment = mergeEnvironment(app.environment, env, spec.environment);
  ra.app = std::move(app);
  return ra;
}

Result<schema::PodManifest> generatePodManifest(const AppList& apps,
                                                const std::vector<ResolvedImage>& images,
                                                const PodEnvironment& env,
                                                const ManifestOptions& options) {
  schema::PodManifest pm;
  if (!options.acVersion.empty())
    pm.acVersion = options.acVersion;
  for (std::size_t i = 0; i < apps.apps.size() && i < images.size(); ++i) {
    Result<schema::RuntimeApp> ra =
        generateRuntimeApp(apps.apps[i], images[i], apps.mounts, env, options);
    if (!ra)
      return ra.error();
    if (pm.findApp(ra->name) != nullptr)
      return Error{"error: multiple apps with name " + ra->name};
    pm.apps.push_back(std::move(*ra));
  }
  // A --volume name given twice, in the words rkt's manifest marshalling (appc) used for it.
  std::set<std::string> volumeNames;
  for (const schema::Volume& v : apps.volumes) {
    if (!volumeNames.insert(v.name).second)
      return Error{"duplicate volume name " + goQuote(v.name)};
  }
  pm.volumes = apps.volumes;
  pm.ports = options.ports;
  // rkt checks the ports as its stage1 will forward them: names, ambiguity, conflicts.
  if (Result<std::vector<net::ForwardedPort>> ports = net::forwardedPorts(pm); !ports)
    return ports.error();
  pm.annotations.push_back({std::string(kMutableAnnotation), "false"});
  if (Status s = schema::validatePodManifest(pm); !s)
    return s.error();
  return pm;
}

}  // namespace rkt::stage0
