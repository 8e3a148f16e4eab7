// C++ base class for ipam plugins (rkt/abi/ipam.h): CNI-style ADD / DEL / CHECK.
#ifndef RKT_SDK_IPAM_HPP
#define RKT_SDK_IPAM_HPP

#include "rkt/abi/ipam.h"
#include "rkt/sdk/plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourType>("name").
class Ipam : public Instance {
 public:
  using KindBase = Ipam;
  /// Request and result are JSON as rkt/abi/ipam.h says.
  virtual std::string add(const std::string& request) = 0;
  virtual void del(const std::string& request) = 0;
  virtual void check(const std::string& request) = 0;
};

namespace detail {
template <>
struct KindTraits<Ipam> {
  static constexpr rkt_kind kKind = RKT_KIND_IPAM;
  static rkt_status add(rkt_instance_plugin_ptr p, const char* req, size_t len,
                        rkt_buffer_host_ptr result, rkt_error_host_ptr err) {
    return guard(err, [&] { appendResult(result, self<Ipam>(p)->add(std::string(req, len))); });
  }
  static rkt_status del(rkt_instance_plugin_ptr p, const char* req, size_t len,
                        rkt_error_host_ptr err) {
    return guard(err, [&] { self<Ipam>(p)->del(std::string(req, len)); });
  }
  static rkt_status check(rkt_instance_plugin_ptr p, const char* req, size_t len,
                          rkt_error_host_ptr err) {
    return guard(err, [&] { self<Ipam>(p)->check(std::string(req, len)); });
  }
  // By member name, so an ABI that appends members cannot shift them.
  template <class T>
  static inline constexpr rkt_ipam_ops kOps = [] {
    rkt_ipam_ops ops{};
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

#endif  // RKT_SDK_IPAM_HPP
