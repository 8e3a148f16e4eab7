#include "archive_helper.hpp"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <vector>

#include "errors.hpp"
#include "rkt/support/module/lazy_module.hpp"

#ifndef RKT_PLUGIN_SUBDIR
#define RKT_PLUGIN_SUBDIR "lib/rkt/plugins"
#endif

namespace rkt::cas {
namespace {

std::string dirOf(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

// The file this code was loaded from: store-cas.so, or the program it is linked into.
std::string ownFile() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&archiveHelper), &info) != 0 && info.dli_fname != nullptr &&
      std::string(info.dli_fname).find('/') != std::string::npos) {
    return info.dli_fname;
  }
  char exe[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  return n > 0 ? std::string(exe, static_cast<std::size_t>(n)) : std::string();
}

std::vector<std::string> candidates() {
  const std::string file = ownFile();
  const std::string rel = std::string(kArchiveHelperDir) + "/" + kArchiveHelperFile;
  std::vector<std::string> out{dirOf(file) + "/" + rel};
  // A plugin directory may hold a symlink to store-cas.so: then the helper is next to the target.
  char real[PATH_MAX];
  if (::realpath(file.c_str(), real) != nullptr) {
    const std::string dir = dirOf(real);
    out.push_back(dir + "/" + rel);
    out.push_back(dir + "/../" RKT_PLUGIN_SUBDIR "/" + rel);
  }
  return out;
}

}  // namespace

const ArchiveHelper& archiveHelper() {
  Result<void*> entry = module::loadModuleEntry(candidates(), kArchiveHelperEntry);
  if (!entry)
    throw Error(RKT_E_INTERNAL,
                "cannot load the cas store's archive helper: " + entry.error().message);
  using Entry = const ArchiveHelper* (*)();
  return *reinterpret_cast<Entry>(*entry)();
}

}  // namespace rkt::cas
