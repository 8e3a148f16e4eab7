// Resolving an app's resource isolators (rkt-notes §6.4: `resource/memory`, `resource/cpu`,
// `os/linux/cpu-shares`) into the numbers the supervisor writes into the app's cgroup, and the
// conversions from rkt's systemd properties to cgroup v1 and v2 files. The isolators are the
// pod manifest's: stage0 already replaced the image's with `--memory`/`--cpu`/`--cpu-shares`.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_RESOURCE_LIMITS_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_RESOURCE_LIMITS_HPP

#include <cstdint>
#include <string>

#include "cgroup_values.hpp"
#include "rkt/schema/isolator.hpp"

namespace rkt::nspawn {

/// The limits the isolators ask for (only `limit` counts, as in rkt). Throws RKT_E_INVALID
/// naming the app for a cpu limit beyond rkt's maximum millivalue or a negative limit.
ResourceLimits resolveResourceLimits(const std::string& app, const schema::Isolators& isolators);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_RESOURCE_LIMITS_HPP
