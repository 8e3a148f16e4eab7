#include "rkt/core/stage1/stage1_client.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "rkt/abi/stage1.h"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/pod/stage1.hpp"
#include "rkt/core/stage1/selection.hpp"

namespace rkt::stage1 {

Result<Stage1Client> Stage1Client::open(plugin::PluginRegistry& registry,
                                        const std::string& flavor) {
  const std::vector<std::string> installed = registry.installed(RKT_KIND_STAGE1);
  if (std::find(installed.begin(), installed.end(), flavor) == installed.end())
    return notInstalledError(flavor, installed);
  Result<plugin::Factory> factory = registry.get(RKT_KIND_STAGE1, flavor);
  if (!factory)
    return factory.error().wrap("cannot load stage1 flavor `" + flavor + "`");
  Result<plugin::Instance> instance = factory->create("{}");
  if (!instance)
    return instance.error().wrap("cannot create stage1 flavor `" + flavor + "`");
  return Stage1Client(flavor, std::move(*instance));
}

Result<Capabilities> Stage1Client::describe() const {
  Capabilities caps;
  if (instance_.ops<rkt_stage1_ops>().describe == nullptr)
    return caps;
  rkt_error err;
  rkt_buffer out;
  const rkt_status status = instance_.call(err, &rkt_stage1_ops::describe, &out);
  if (status != RKT_OK)
    return plugin::errorFromPlugin(status, err, "stage1 `describe` failed");
  try {
    Poco::JSON::Parser parser;
    const auto obj = parser.parse(out.bytes).extract<Poco::JSON::Object::Ptr>();
    caps.maxApps = obj->optValue<int>("max_apps", 0);
    caps.isolation = obj->optValue<std::string>("isolation", "");
    caps.networking = obj->optValue<bool>("networking", false);
    caps.isMutable = obj->optValue<bool>("mutable", false);
    caps.exitStatusPreserved = obj->optValue<bool>("exit_status_preserved", false);
  } catch (const std::exception& e) {
    return Error{"stage1 `" + flavor_ + "` described itself with invalid JSON: " + e.what()};
  }
  return caps;
}

Result<int> Stage1Client::run(const std::string& request) const {
  if (instance_.ops<rkt_stage1_ops>().run == nullptr)
    return Error{"stage1 `" + flavor_ + "` does not support `run`"};
  rkt_error err;
  int exitStatus = 0;
  const rkt_status status =
      instance_.call(err, &rkt_stage1_ops::run, request.data(), request.size(), &exitStatus);
  if (status != RKT_OK)
    return plugin::errorFromPlugin(status, err, "stage1 `run` failed");
  return exitStatus;
}

Status writePodFlavor(const std::string& podDir, const std::string& flavor) {
  const std::string link = podDir + "/" + pod::kStage1FlavorFile;
  if (::symlink(flavor.c_str(), link.c_str()) != 0)
    return sysError("cannot write `" + link + "`");
  return {};
}

}  // namespace rkt::stage1
