#include "util/archive_module.hpp"

#include "util/internal_module.hpp"

namespace rkt::util {

Result<const ArchiveModule*> archiveModule() {
  Result<void*> entry = internalModuleEntry(kArchiveModule, kArchiveModuleEntry);
  if (!entry)
    return entry.error();
  using Entry = const ArchiveModule* (*)();
  return reinterpret_cast<Entry>(*entry)();
}

}  // namespace rkt::util
