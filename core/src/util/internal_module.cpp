#include "util/internal_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

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
  static std::mutex mu;
  static std::map<std::string, Result<void*>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  const std::string key = std::string(file) + "\n" + entry;
  if (auto it = loaded.find(key); it != loaded.end())
    return it->second;
  std::string why = "not found";
  void* address = nullptr;
  for (const std::string& path : candidates(file)) {
    if (::access(path.c_str(), F_OK) != 0)
      continue;
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* e = ::dlerror();
      why = e != nullptr ? e : path;
      break;
    }
    address = ::dlsym(handle, entry);
    if (address == nullptr)
      why = path + ": no symbol " + entry;
    break;
  }
  Result<void*> result = address != nullptr
                             ? Result<void*>(address)
                             : Result<void*>(Error{"cannot load the internal module `" +
                                                   std::string(file) + "`: " + why});
  loaded.emplace(key, result);
  return result;
}

}  // namespace rkt::util
