#include "plugin/library.hpp"

#include <dlfcn.h>

namespace rkt::plugin::detail {

Result<std::shared_ptr<Library>> Library::open(const std::string& path) {
  std::shared_ptr<Library> library(new Library());
  boost::dll::fs::error_code ec;
  // Boost.DLL reports every dlopen failure as one generic error code; the useful text (missing
  // library, undefined symbol, wrong ELF class) is only in dlerror(), which Boost leaves set.
  dlerror();
  library->lib_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !library->lib_.is_loaded()) {
    const char* why = dlerror();
    return Error{why != nullptr ? why : ec.message()};
  }
  return library;
}

Library::~Library() {
  if (fini_ != nullptr) {
    fini_();
  }
}

rkt_plugin_entry_fn Library::entry() const {
  if (!lib_.has(RKT_PLUGIN_ENTRY_SYMBOL)) {
    return nullptr;
  }
  return &lib_.get<const rkt_plugin_descriptor*(void)>(RKT_PLUGIN_ENTRY_SYMBOL);
}

}  // namespace rkt::plugin::detail
