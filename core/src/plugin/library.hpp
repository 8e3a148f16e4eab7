// One opened plugin file (Boost.DLL). Shared by every factory it registered, so the code stays
// mapped while any factory or instance from it exists.
#ifndef RKT_CORE_SRC_PLUGIN_LIBRARY_HPP
#define RKT_CORE_SRC_PLUGIN_LIBRARY_HPP

#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>

#include "plugin/registrar.hpp"
#include "rkt/abi/plugin.h"
#include "rkt/core/result.hpp"

namespace rkt::plugin::detail {

class Library {
 public:
  /// Opens `path` (absolute) with RTLD_NOW | RTLD_LOCAL: unresolved symbols fail here, not at
  /// first call, and a plugin's symbols never satisfy another's. The error is the dynamic
  /// loader's message.
  static Result<std::shared_ptr<Library>> open(const std::string& path);

  /// Calls fini when armed, then unloads.
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  /// The exported entry function; nullptr when the symbol is absent.
  rkt_plugin_entry_fn entry() const;

  /// Arms `fini` (may be NULL) to run once before unloading. Set only after init succeeded.
  void setFini(void (*fini)(void)) { fini_ = fini; }

  /// The registrar handed to init. It lives as long as the plugin's code, so a plugin that
  /// keeps the pointer and registers late is refused instead of touching freed memory.
  rkt_registrar& registrar() { return registrar_; }

 private:
  Library() = default;

  boost::dll::shared_library lib_;
  void (*fini_)(void) = nullptr;
  rkt_registrar registrar_;
};

}  // namespace rkt::plugin::detail

#endif  // RKT_CORE_SRC_PLUGIN_LIBRARY_HPP
