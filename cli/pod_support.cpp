#include "pod_support.hpp"

#include <cerrno>
#include <ostream>

#include "flags.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/uuid.hpp"
#include "rkt/core/pod/wait.hpp"
#include "rkt/core/util/duration.hpp"
#include "rkt/schema/names.hpp"

namespace rkt::cli {

Result<std::chrono::nanoseconds> parseWaitValue(const std::string& value) {
  if (value.empty())
    return std::chrono::nanoseconds(-1);
  if (std::optional<bool> b = parseGoBool(value))
    return std::chrono::nanoseconds(*b ? -1 : 0);
  return util::parseGoDuration(value);
}

std::chrono::milliseconds waitTimeout(std::chrono::nanoseconds d) {
  if (d.count() < 0)
    return pod::kWaitForever;
  return std::chrono::ceil<std::chrono::milliseconds>(d);
}

UuidArgList collectUuidArgs(const std::vector<std::string>& args, const std::string& uuidFile,
                            bool single) {
  UuidArgList list;
  if (args.empty() && !uuidFile.empty()) {
    Result<std::string> uuid = pod::readUuidFile(uuidFile);
    if (!uuid) {
      list.outcome = UuidArgs::UnreadableFile;
      list.fileError = uuid.error();
    } else {
      list.uuids.push_back(*uuid);
    }
  } else if (!args.empty() && uuidFile.empty() && (!single || args.size() == 1)) {
    list.uuids = args;
  } else {
    list.outcome = UuidArgs::Usage;
  }
  return list;
}

Result<std::string> chooseApp(const Invocation& inv, const pod::Pod& pod,
                              const std::string& flagApp, const std::string& command,
                              bool mustExist) {
  if (!flagApp.empty() && !mustExist) {
    if (Status s = schema::validateAcName(flagApp); !s)
      return s.error();
    return flagApp;
  }
  Result<std::vector<pod::ManifestApp>> apps = pod::readManifestApps(pod);
  if (!apps)
    return apps.error().wrap("error reading pod manifest");
  if (!flagApp.empty()) {
    for (const pod::ManifestApp& app : *apps) {
      if (app.name == flagApp)
        return flagApp;
    }
    return Error{"app " + flagApp + " is not present in pod", ENOENT};
  }
  if (apps->empty())
    return Error{"pod contains zero apps", ENOENT};
  if (apps->size() == 1)
    return apps->front().name;
  inv.error("pod contains multiple apps:");
  for (const pod::ManifestApp& app : *apps)
    inv.error("\t" + app.name);
  return Error{"specify app using \"rkt " + command + " --app= ...\"", EINVAL};
}

std::string quotedUuid(const pod::Uuid& uuid) {
  return "\"" + uuid.str() + "\"";
}

}  // namespace rkt::cli
