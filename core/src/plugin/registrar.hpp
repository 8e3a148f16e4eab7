// Host side of rkt_registrar_host_ptr: open only while the plugin's init runs.
#ifndef RKT_CORE_SRC_PLUGIN_REGISTRAR_HPP
#define RKT_CORE_SRC_PLUGIN_REGISTRAR_HPP

#include <functional>

#include "rkt/core/plugin/host.hpp"

struct rkt_registrar {
  /// Receives each registration while open; registrations after init returns are refused.
  std::function<rkt_status(const rkt_factory& factory, rkt_error* err)> add;
  bool open = false;
};

namespace rkt::plugin::detail {

/// Records an error the way host->set_error does (NULL-safe for both pointers).
void setError(rkt_error* err, rkt_status code, int sysErrno, const char* message) noexcept;

}  // namespace rkt::plugin::detail

#endif  // RKT_CORE_SRC_PLUGIN_REGISTRAR_HPP
