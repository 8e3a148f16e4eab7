// C++ base class for stage1 flavor plugins (rkt/abi/stage1.h).
#ifndef RKT_SDK_STAGE1_HPP
#define RKT_SDK_STAGE1_HPP

#include <string>

#include "rkt/abi/stage1.h"
#include "rkt/sdk/plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourFlavor>("name").
/// Requests and results are JSON as rkt/abi/stage1.h says. Throw rkt::sdk::Error to fail a call
/// with a specific status.
///
/// Only `run` is required. The ops table gets `describe`, `enter`, `stop` and `gc` only when the
/// flavor overrides them (publicly); the others stay NULL, which the host reports as "not
/// supported" by name (e.g. "`stop` is not supported by this stage1") without calling the plugin.
class Stage1 : public Instance {
 public:
  using KindBase = Stage1;
  /// Runs a prepared pod. Either replaces the process or returns the pod's exit status.
  virtual int run(const std::string& request) = 0;

  // ABI 1.1 members, optional. The defaults are never reached through the host (their ops are
  // NULL unless overridden); they fail with RKT_E_UNSUPPORTED for a direct call.

  /// What the flavor supports: {"max_apps", "isolation", "networking", "mutable",
  /// "exit_status_preserved"}.
  virtual std::string describe() { unsupported("describe"); }
  /// Runs a command in a running pod's app. Either replaces the process or returns the
  /// command's exit status.
  virtual int enter(const std::string& /*request*/) { return unsupported("enter"); }
  /// Stops a running pod.
  virtual void stop(const std::string& /*request*/) { unsupported("stop"); }
  /// Releases what the flavor set up for an exited pod.
  virtual void gc(const std::string& /*request*/) { unsupported("gc"); }

 protected:
  [[noreturn]] static int unsupported(const char* op) {
    throw Error(RKT_E_UNSUPPORTED, std::string("stage1 flavor does not support `") + op + "`");
  }
};

namespace detail {
template <>
struct KindTraits<Stage1> {
  static constexpr rkt_kind kKind = RKT_KIND_STAGE1;
  static rkt_status run(rkt_instance_plugin_ptr p, const char* req, size_t len, int* status,
                        rkt_error_host_ptr err) {
    return guard(err, [&] { *status = self<Stage1>(p)->run(std::string(req, len)); });
  }
  static rkt_status describe(rkt_instance_plugin_ptr p, rkt_buffer_host_ptr result,
                             rkt_error_host_ptr err) {
    return guard(err, [&] { appendResult(result, self<Stage1>(p)->describe()); });
  }
  static rkt_status enter(rkt_instance_plugin_ptr p, const char* req, size_t len, int* status,
                          rkt_error_host_ptr err) {
    return guard(err, [&] { *status = self<Stage1>(p)->enter(std::string(req, len)); });
  }
  static rkt_status stop(rkt_instance_plugin_ptr p, const char* req, size_t len,
                         rkt_error_host_ptr err) {
    return guard(err, [&] { self<Stage1>(p)->stop(std::string(req, len)); });
  }
  static rkt_status gc(rkt_instance_plugin_ptr p, const char* req, size_t len,
                       rkt_error_host_ptr err) {
    return guard(err, [&] { self<Stage1>(p)->gc(std::string(req, len)); });
  }
  // By member name; members this layer does not wrap yet, and the optional ops T does not
  // override, stay NULL ("not supported").
  template <class T>
  static inline constexpr rkt_stage1_ops kOps = [] {
    rkt_stage1_ops ops{};
    ops.struct_size = sizeof ops;
    ops.run = &run;
    ops.describe = ifOverridden<Stage1>(&T::describe, &describe);
    ops.enter = ifOverridden<Stage1>(&T::enter, &enter);
    ops.stop = ifOverridden<Stage1>(&T::stop, &stop);
    ops.gc = ifOverridden<Stage1>(&T::gc, &gc);
    return ops;
  }();
};
}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_STAGE1_HPP
