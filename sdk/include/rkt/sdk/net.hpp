// C++ base class for net plugins (rkt/abi/net.h): CNI-style ADD / DEL / CHECK.
#ifndef RKT_SDK_NET_HPP
#define RKT_SDK_NET_HPP

#include "rkt/abi/net.h"
#include "rkt/sdk/plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourType>("name").
class Net : public Instance {
 public:
  using KindBase = Net;
  /// Request and result are JSON as rkt/abi/net.h says.
  virtual std::string add(const std::string& request) = 0;
  virtual void del(const std::string& request) = 0;
  virtual void check(const std::string& request) = 0;
};

namespace detail {
template <>
struct KindTraits<Net> {
  static constexpr rkt_kind kKind = RKT_KIND_NET;
  static rkt_status add(rkt_instance_plugin_ptr p, const char* req, size_t len,
                        rkt_buffer_host_ptr result, rkt_error_host_ptr err) {
    return guard(err, [&] { appendResult(result, self<Net>(p)->add(std::string(req, len))); });
  }
  static rkt_status del(rkt_instance_plugin_ptr p, const char* req, size_t len,
                        rkt_error_host_ptr err) {
    return guard(err, [&] { self<Net>(p)->del(std::string(req, len)); });
  }
  static rkt_status check(rkt_instance_plugin_ptr p, const char* req, size_t len,
                          rkt_error_host_ptr err) {
    return guard(err, [&] { self<Net>(p)->check(std::string(req, len)); });
  }
  // By member name, so an ABI that appends members cannot shift them.
  template <class T>
  static inline constexpr rkt_net_ops kOps = [] {
    rkt_net_ops ops{};
    ops.struct_size = sizeof ops;
    ops.add = &add;
    ops.del = &del;
    ops.check = &check;
    return ops;
  }();
};
}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_NET_HPP
