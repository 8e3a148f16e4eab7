#include "rkt/support/module/lazy_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <map>
#include <mutex>

namespace rkt::module {
namespace {

std::string dirOf(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

Result<void*> load(const std::vector<std::string>& candidates, const std::string& entry,
                   bool checkOwnership) {
  for (const std::string& path : candidates) {
    if (::access(path.c_str(), F_OK) != 0)
      continue;
    if (checkOwnership) {
      const std::string dir = dirOf(path);
      if (Status s = module::checkOwnership(dir, "directory `" + dir + "`"); !s)
        return s.error();
      if (Status s = module::checkOwnership(path, "`" + path + "`"); !s)
        return s.error();
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      return Error{why != nullptr ? why : "`" + path + "`: cannot be loaded"};
    }
    void* address = ::dlsym(handle, entry.c_str());
    if (address == nullptr)
      return Error{"`" + path + "`: no symbol " + entry};
    return address;
  }
  return Error{"`" + (candidates.empty() ? std::string() : candidates.front()) + "`: not found"};
}

}  // namespace

Result<void*> loadModuleEntry(const std::vector<std::string>& candidates, const std::string& entry,
                              bool checkOwnership) {
  static std::mutex mu;
  static std::map<std::string, Result<void*>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  std::string key = entry + (checkOwnership ? "\n+" : "\n-");
  for (const std::string& path : candidates)
    key += "\n" + path;
  if (auto it = loaded.find(key); it != loaded.end())
    return it->second;
  return loaded.emplace(key, load(candidates, entry, checkOwnership)).first->second;
}

}  // namespace rkt::module
