// C++ base class for image store plugins (rkt/abi/store.h).
#ifndef RKT_SDK_STORE_HPP
#define RKT_SDK_STORE_HPP

#include "rkt/abi/store.h"
#include "rkt/sdk/plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourStore>("name").
class Store : public Instance {
 public:
  using KindBase = Store;
  /// JSON description of the store, at least {"root": "<directory>"}.
  virtual std::string info() = 0;
};

namespace detail {
template <>
struct KindTraits<Store> {
  static constexpr rkt_kind kKind = RKT_KIND_STORE;
  static rkt_status info(rkt_instance_plugin_ptr p, rkt_buffer_host_ptr result,
                         rkt_error_host_ptr err) {
    return guard(err, [&] { appendResult(result, self<Store>(p)->info()); });
  }
  // Members this layer does not wrap yet stay NULL ("not supported"); value-initialising
  // keeps -Wmissing-field-initializers quiet as the ABI appends members.
  static inline const rkt_store_ops kOps = [] {
    rkt_store_ops ops{};
    ops.struct_size = sizeof ops;
    ops.info = &info;
    return ops;
  }();
};
}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_STORE_HPP
