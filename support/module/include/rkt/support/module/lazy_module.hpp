// Lazily loaded shared objects: parts of rkt with heavy library stacks (internal modules
// rkt-<name>.so, the cas store's archive helper) are dlopen'ed on first use, so that commands
// which never need them do not map those libraries at start (docs/run.md, start latency). They
// are built with their caller and reached through a function table: C++ types cross.
#ifndef RKT_SUPPORT_MODULE_LAZY_MODULE_HPP
#define RKT_SUPPORT_MODULE_LAZY_MODULE_HPP

#include <string>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/support/module/ownership.hpp"

namespace rkt::module {

/// The address of `entry` in the first of `candidates` (absolute paths, in order of preference)
/// that exists. Loaded once per process with RTLD_NOW | RTLD_LOCAL and never unloaded; the
/// answer, failures included, is remembered per candidate list and entry. With
/// `checkOwnership` (by default when running as root, as for plugins) the directory holding
/// the file and the file itself must pass checkOwnership() before anything is mapped.
/// Errors name the file: "`/usr/lib/x86_64-linux-gnu/rkt/rkt-http.so` is world-writable",
/// "directory
/// `/usr/lib/x86_64-linux-gnu/rkt` is not owned by root (owner uid 1000)",
/// "`/x/rkt-http.so`: no symbol rkt_internal_http_get_v2", "`/x/rkt-http.so`: not found"
/// (the first candidate), or the dynamic loader's message.
Result<void*> loadModuleEntry(const std::vector<std::string>& candidates, const std::string& entry,
                              bool checkOwnership = ownershipEnforced());

}  // namespace rkt::module

#endif  // RKT_SUPPORT_MODULE_LAZY_MODULE_HPP
