// C++ base class for stage1 flavor plugins (rkt/abi/stage1.h).
#ifndef RKT_SDK_STAGE1_HPP
#define RKT_SDK_STAGE1_HPP

#include "rkt/abi/stage1.h"
#include "rkt/sdk/plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourFlavor>("name").
class Stage1 : public Instance {
 public:
  using KindBase = Stage1;
  /// Runs a prepared pod (request JSON as rkt/abi/stage1.h says). Either replaces the process
  /// or returns the pod's exit status.
  virtual int run(const std::string& request) = 0;
};

namespace detail {
template <>
struct KindTraits<Stage1> {
  static constexpr rkt_kind kKind = RKT_KIND_STAGE1;
  static rkt_status run(rkt_instance_plugin_ptr p, const char* req, size_t len, int* status,
                        rkt_error_host_ptr err) {
    return guard(err, [&] { *status = self<Stage1>(p)->run(std::string(req, len)); });
  }
  // Members this layer does not wrap yet stay NULL ("not supported"); value-initialising
  // keeps -Wmissing-field-initializers quiet as the ABI appends members.
  static inline const rkt_stage1_ops kOps = [] {
    rkt_stage1_ops ops{};
    ops.struct_size = sizeof ops;
    ops.run = &run;
    return ops;
  }();
};
}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_STAGE1_HPP
