#include "util/internal_module.hpp"

#include <limits.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "rkt/support/module/lazy_module.hpp"

#ifndef RKT_INSTALL_MODULE_DIR
#define RKT_INSTALL_MODULE_DIR "/usr/lib/rkt"
#endif

namespace rkt::util {
namespace {

// <dir of the binary>/../lib/rkt (build tree and installed layout alike), then the install dir.
std::vector<std::string> candidates(const std::string& file) {
  std::vector<std::string> out;
  char exe[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, static_cast<std::size_t>(n));
    dir = dir.substr(0, dir.rfind('/'));
    out.push_back(dir + "/../lib/rkt/" + file);
  }
  out.push_back(std::string(RKT_INSTALL_MODULE_DIR) + "/" + file);
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
