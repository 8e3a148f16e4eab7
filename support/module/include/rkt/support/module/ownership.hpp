// The rule for code rkt loads into its own process — plugins, internal modules, plugin helpers:
// the file and the directory it is found in are owned by root and not world-writable, so that
// nobody but root can put code into a root process. One definition for the plugin loader
// (core/src/plugin/gate.hpp) and the lazy module loader (lazy_module.hpp).
#ifndef RKT_SUPPORT_MODULE_OWNERSHIP_HPP
#define RKT_SUPPORT_MODULE_OWNERSHIP_HPP

#include <string>

#include "rkt/base/result.hpp"

namespace rkt::module {

/// Whether this process applies the rule: only when it runs as root (euid 0). A user running
/// their own build tree loads files they own, and can write anyway.
bool ownershipEnforced();

/// `path` (symlinks followed) is owned by root and not world-writable. `what` names it in the
/// error: "<what> is not owned by root (owner uid 1000)", "<what> is world-writable",
/// "cannot stat <what>: <errno text>".
Status checkOwnership(const std::string& path, const std::string& what);

}  // namespace rkt::module

#endif  // RKT_SUPPORT_MODULE_OWNERSHIP_HPP
