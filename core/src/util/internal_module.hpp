// Internal modules (core/modules/*): parts of the core with heavy library stacks, built as
// `rkt-<name>.so` and dlopen'ed on first use, so that commands which never need them do not map
// those libraries at start (docs/run.md, start latency).
#ifndef RKT_CORE_SRC_UTIL_INTERNAL_MODULE_HPP
#define RKT_CORE_SRC_UTIL_INTERNAL_MODULE_HPP

#include "rkt/core/result.hpp"

namespace rkt::util {

/// The address of `entry` in internal module `file` ("rkt-http.so"), found in
/// <dir of the running binary>/../<RKT_PKGLIBDIR> (lib/<triplet>/rkt), by
/// rkt::module::loadModuleEntry: loaded once per process, never unloaded, and (as root) only from
/// a root-owned, not world-writable file and directory, like plugins. Errors: "cannot load the
/// internal module `rkt-http.so`: <why>".
Result<void*> internalModuleEntry(const char* file, const char* entry);

/// The function table of internal module `file`, which its `entry` function returns (a
/// `const Table* entry()` the module and the core build from one header).
template <class Table>
Result<const Table*> internalModuleTable(const char* file, const char* entry) {
  Result<void*> address = internalModuleEntry(file, entry);
  if (!address)
    return address.error();
  using Entry = const Table* (*)();
  return reinterpret_cast<Entry>(*address)();
}

}  // namespace rkt::util

#endif  // RKT_CORE_SRC_UTIL_INTERNAL_MODULE_HPP
