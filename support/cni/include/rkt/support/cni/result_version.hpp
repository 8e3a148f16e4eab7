// CNI results across spec versions, with CNI's conversion rules (containernetworking/cni
// pkg/types/{020,040,100}): the in-process plugins speak one layout (spec 1.0, the SDK's
// protocol::cni::Result); a CNI binary reads and writes the layout of its config's cniVersion.
// cni-exec converts what an external binary printed into the SDK layout, rkt-cni converts what
// an in-process plugin returned into the layout its caller asked for.
#ifndef RKT_SUPPORT_CNI_RESULT_VERSION_HPP
#define RKT_SUPPORT_CNI_RESULT_VERSION_HPP

#include <string>

#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::cni {

/// Reads a result of any version (0.1.0/0.2.0 `ip4`/`ip6`, 0.3.x/0.4.0 `ips[].version`, 1.x)
/// into the SDK layout, with `cniVersion` set to `asVersion`. The layout is chosen by the
/// result's own cniVersion (absent: by its keys). Throws protocol::cni::Failure (code 6) on a
/// document that is not a CNI result.
protocol::cni::Result parseResultAnyVersion(const std::string& json, const std::string& asVersion);

/// The JSON of `result` in the layout of `version`, keys in the order the Go types print them:
/// 0.1.0/0.2.0 keep the first IPv4 and the first IPv6 address with their family's routes (no
/// address at all fails: "cannot convert: no valid IP addresses"), 0.3.x/0.4.0 add
/// `ips[].version`, 1.x is the SDK layout. Throws protocol::cni::Failure (code 999).
std::string encodeResultAs(const protocol::cni::Result& result, const std::string& version);

/// Whether `version` uses the 0.1.0/0.2.0 layout.
bool isLegacyLayout(const std::string& version);

}  // namespace rkt::cni

#endif  // RKT_SUPPORT_CNI_RESULT_VERSION_HPP
