// The host side of the plugin ABI: the objects plugins only see as opaque pointers, and the
// rkt_host_api table handed to every plugin.
#ifndef RKT_CORE_PLUGIN_HOST_HPP
#define RKT_CORE_PLUGIN_HOST_HPP

#include <iosfwd>
#include <string>

#include "rkt/abi/plugin.h"
#include "rkt/core/result.hpp"

/// Host-owned error object (rkt_error_host_ptr). A plugin fills it through host->set_error;
/// the host reads it after a call returned something other than RKT_OK.
struct rkt_error {
  bool set = false;  ///< set_error was called
  rkt_status code = RKT_OK;
  int sysErrno = 0;
  std::string message;
};

/// Host-owned result buffer (rkt_buffer_host_ptr); plugins append through host->buffer_append.
struct rkt_buffer {
  std::string bytes;
};

namespace rkt::plugin {

/// The table every plugin receives. Static: valid for the whole life of the process.
const rkt_host_api* hostApi();

/// Whether plugin log lines of level RKT_LOG_DEBUG are written (rkt's --debug). Default off.
void setPluginDebugLogging(bool enabled);

/// Where plugin log lines go; nullptr (the default) means std::cerr. For tests.
/// Precondition: `out` outlives every later plugin log call.
void setPluginLogStream(std::ostream* out);

/// The Error for a failed plugin call: the plugin's message when it set one, otherwise
/// "<fallback>: <status name>". The plugin's errno is kept.
Error errorFromPlugin(rkt_status status, const rkt_error& err, const std::string& fallback);

}  // namespace rkt::plugin

#endif  // RKT_CORE_PLUGIN_HOST_HPP
