// Isolators a stage1 flavor does not apply (yet) are warned about, never silently ignored: fly
// applies none, nspawn none until the isolators issue lands.
#ifndef RKT_SUPPORT_APPEXEC_IGNORED_ISOLATORS_HPP
#define RKT_SUPPORT_APPEXEC_IGNORED_ISOLATORS_HPP

#include <string>
#include <vector>

#include "rkt/schema/isolator.hpp"

namespace rkt::appexec {

/// One line per isolator: "app `<app>`: isolator `<name>` is not applied by stage1 `<flavor>`"
/// ("pod: …" for the pod's own isolators, `app` empty).
std::vector<std::string> ignoredIsolatorWarnings(const std::string& flavor, const std::string& app,
                                                 const schema::Isolators& isolators);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_IGNORED_ISOLATORS_HPP
