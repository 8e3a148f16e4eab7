// C++ base class for ipam plugins (rkt/abi/ipam.h): CNI IPAM ADD / DEL / CHECK (+ GC, STATUS).
#ifndef RKT_SDK_IPAM_HPP
#define RKT_SDK_IPAM_HPP

#include "rkt/abi/ipam.h"
#include "rkt/sdk/cni_plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourType>("type"). Every op is called in
/// the host netns and must return there (rkt/abi/net.h). Throw protocol::cni::Failure for an
/// error with CNI's code and details; the request's cniVersion is checked before the op runs,
/// and VERSION is answered by the SDK.
class Ipam : public Instance {
 public:
  using KindBase = Ipam;
  /// Allocates for (container_id, ifname); returns ips (no interface), routes, dns.
  virtual protocol::cni::Result add(const NetContext& ctx, const protocol::cni::Request& r) = 0;
  /// Releases what add allocated; nothing to release is success.
  virtual void del(const NetContext& ctx, const protocol::cni::Request& r) = 0;
  virtual void check(const NetContext& ctx, const protocol::cni::Request& r) = 0;
  virtual void gc(const NetContext&, const protocol::cni::Request&) {}
  virtual void status(const NetContext&, const protocol::cni::Request&) {}
};

namespace detail {
template <>
struct KindTraits<Ipam> {
  static constexpr rkt_kind kKind = RKT_KIND_IPAM;
  template <class T>
  static inline constexpr rkt_ipam_ops kOps = CniThunks<Ipam, rkt_ipam_ops>::ops<T>();
};
}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_IPAM_HPP
