// C++ base class for net plugins (rkt/abi/net.h): CNI ADD / DEL / CHECK (+ GC, STATUS) in-process.
#ifndef RKT_SDK_NET_HPP
#define RKT_SDK_NET_HPP

#include "rkt/abi/net.h"
#include "rkt/sdk/cni_plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourType>("type"). Every op is called in
/// the host netns and must return there (rkt/abi/net.h). Throw protocol::cni::Failure for an
/// error with CNI's code and details; the request's cniVersion is checked before the op runs,
/// and VERSION is answered by the SDK.
class Net : public Instance {
 public:
  using KindBase = Net;
  /// Attaches; validates everything first and undoes its own changes when it fails.
  virtual protocol::cni::Result add(const NetContext& ctx, const protocol::cni::Request& r) = 0;
  /// Detaches whatever is left; what is already gone is success.
  virtual void del(const NetContext& ctx, const protocol::cni::Request& r) = 0;
  virtual void check(const NetContext& ctx, const protocol::cni::Request& r) = 0;
  virtual void gc(const NetContext&, const protocol::cni::Request&) {}
  virtual void status(const NetContext&, const protocol::cni::Request&) {}
};

namespace detail {
template <>
struct KindTraits<Net> {
  static constexpr rkt_kind kKind = RKT_KIND_NET;
  template <class T>
  static inline constexpr rkt_net_ops kOps = CniThunks<Net, rkt_net_ops>::ops<T>();
};
}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_NET_HPP
