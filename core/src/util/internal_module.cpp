#include "util/internal_module.hpp"

#include <unistd.h>

#include <string>
#include <vector>

#include "rkt/support/module/lazy_module.hpp"
#include "util/executable_dir.hpp"

namespace rkt::util {
namespace {

// <dir of the binary>/../<RKT_PKGLIBDIR> (build tree and installed layout alike; no absolute
// directory is compiled in, so an installed tree works under any prefix).
std::vector<std::string> candidates(const std::string& file) {
  std::vector<std::string> out;
  const std::string dir = executableDir();
  if (!dir.empty()) {
    out.push_back(dir + "/../" RKT_PKGLIBDIR "/" + file);
  }
  return out;
}

}  // namespace

Result<void*> internalModuleEntry(const char* file, const char* entry) {
  Result<void*> address = module::loadModuleEntry(candidates(file), entry);
  if (!address)
    return address.error().wrap("cannot load the internal module `" + std::string(file) + "`");
  return address;
}

}  // namespace rkt::util
