#include "rkt/core/plugin/host.hpp"

#include <iostream>
#include <mutex>
#include <string>

#include "plugin/registrar.hpp"
#include "rkt/base/shorten.hpp"
#include "rkt/core/plugin/kinds.hpp"

namespace rkt::plugin {
namespace {

// rkt_host_api.log carries no context pointer, so its settings are process-wide.
struct LogSettings {
  std::mutex mutex;
  bool debug = false;
  std::ostream* out = nullptr;
};

LogSettings& logSettings() {
  static LogSettings settings;
  return settings;
}

void hostSetError(rkt_error_host_ptr err, rkt_status code, int sysErrno, const char* message) {
  detail::setError(err, code, sysErrno, message);
}

rkt_status hostRegisterFactory(rkt_registrar_host_ptr reg, const rkt_factory* factory,
                               rkt_error_host_ptr err) {
  if (reg == nullptr || !reg->open || !reg->add) {
    detail::setError(err, RKT_E_INVALID, 0,
                     "cannot register factory: registration is only allowed inside init");
    return RKT_E_INVALID;
  }
  if (factory == nullptr) {
    detail::setError(err, RKT_E_INVALID, 0, "cannot register factory: factory is NULL");
    return RKT_E_INVALID;
  }
  // Nothing may unwind into the plugin's (C) frames.
  try {
    return reg->add(*factory, err);
  } catch (...) {
    detail::setError(err, RKT_E_INTERNAL, 0, "cannot register factory: host error");
    return RKT_E_INTERNAL;
  }
}

rkt_status hostBufferAppend(rkt_buffer_host_ptr buf, const char* data, size_t len) {
  if (buf == nullptr || (data == nullptr && len != 0)) {
    return RKT_E_INVALID;
  }
  try {
    buf->bytes.append(data, len);
  } catch (const std::exception&) {
    return RKT_E_INTERNAL;
  }
  return RKT_OK;
}

void hostLog(rkt_log_level level, const char* pluginName, const char* message) noexcept try {
  LogSettings& s = logSettings();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (level == RKT_LOG_DEBUG && !s.debug) {
    return;
  }
  std::string line = pluginName != nullptr && *pluginName != '\0' ? pluginName : "plugin";
  line += ": ";
  if (level == RKT_LOG_WARNING) {
    line += "warning: ";
  } else if (level == RKT_LOG_ERROR) {
    line += "error: ";
  }
  line += oneLine(message != nullptr ? message : "");
  line += '\n';
  std::ostream& out = s.out != nullptr ? *s.out : std::cerr;
  out << line << std::flush;
} catch (...) {
  // A log line that cannot be written is dropped; it must not unwind into the plugin.
}

// By member name, so an ABI that appends members cannot shift them.
constexpr rkt_host_api kHostApi = [] {
  rkt_host_api api{};
  api.struct_size = sizeof api;
  api.abi_major = RKT_PLUGIN_ABI_MAJOR;
  api.abi_minor = RKT_PLUGIN_ABI_MINOR;
  api.host_version = RKT_VERSION_STRING;
  api.set_error = &hostSetError;
  api.register_factory = &hostRegisterFactory;
  api.buffer_append = &hostBufferAppend;
  api.log = &hostLog;
  return api;
}();

}  // namespace

namespace detail {

void setError(rkt_error* err, rkt_status code, int sysErrno, const char* message) noexcept {
  if (err == nullptr) {
    return;
  }
  err->set = true;
  err->code = code;
  err->sysErrno = sysErrno;
  try {
    // A plugin's error reaches every caller from here: one readable line, names shortened.
    err->message = oneLine(message != nullptr ? message : "");
  } catch (...) {
    err->message.clear();  // out of memory: keep the code, lose the text
  }
}

}  // namespace detail

const rkt_host_api* hostApi() {
  return &kHostApi;
}

void setPluginDebugLogging(bool enabled) {
  std::lock_guard<std::mutex> lock(logSettings().mutex);
  logSettings().debug = enabled;
}

void setPluginLogStream(std::ostream* out) {
  std::lock_guard<std::mutex> lock(logSettings().mutex);
  logSettings().out = out;
}

Error errorFromPlugin(rkt_status status, const rkt_error& err, const std::string& fallback) {
  if (err.set && !err.message.empty()) {
    return Error{err.message, err.sysErrno};
  }
  return Error{fallback + ": " + statusName(status), err.set ? err.sysErrno : 0};
}

}  // namespace rkt::plugin
