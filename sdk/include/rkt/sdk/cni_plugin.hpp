// What the net and ipam kinds share in the C++ SDK (rkt/abi/net.h): the call context (netns
// descriptors, state directory, delegation) and the thunks that decode the request, check its
// cniVersion, run the op and turn a protocol::cni::Failure into CNI's error object.
#ifndef RKT_SDK_CNI_PLUGIN_HPP
#define RKT_SDK_CNI_PLUGIN_HPP

#include <algorithm>
#include <string>

#include "rkt/abi/net.h"
#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/protocol/cni.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// The host's side of one call. Valid only during the op it was passed to.
class NetContext {
 public:
  explicit NetContext(const rkt_net_context* ctx) : ctx_(ctx) {}
  // Every member below exists since ABI 1.6, when this context was introduced.
  /// The container's network namespace, -1 when there is none.
  int containerNetns() const { return ctx_ != nullptr ? ctx_->container_netns_fd : -1; }
  /// The namespace to be in when the op returns.
  int hostNetns() const { return ctx_ != nullptr ? ctx_->host_netns_fd : -1; }
  std::string stateDir() const {
    return ctx_ != nullptr && ctx_->state_dir != nullptr ? ctx_->state_dir : "";
  }

  /// Runs the plugin of `kind` the request's config names (ipam.type or type) for `command`
  /// and returns its result (JSON; empty for commands without one). A failure is rethrown as
  /// protocol::cni::Failure carrying the delegate's CNI error object.
  std::string delegate(rkt_kind kind, rkt_cni_command command,
                       const protocol::cni::Request& request) const {
    if (ctx_ == nullptr || ctx_->delegate == nullptr) {
      throw Error(RKT_E_UNSUPPORTED, "the host offers no delegation to other net plugins");
    }
    const std::string json = protocol::encode(request);
    std::string out;
    auto sink = [](void* c, const char* data, size_t len) {
      static_cast<std::string*>(c)->append(data, len);
    };
    const rkt_status status =
        ctx_->delegate(ctx_->call, kind, command, json.data(), json.size(), sink, &out, nullptr);
    if (status != RKT_OK) {
      protocol::cni::ErrorObject e;
      try {
        e = protocol::decode<protocol::cni::ErrorObject>(out);
      } catch (const Error&) {
        e.msg =
            "delegated " + std::string(kind == RKT_KIND_IPAM ? "ipam" : "net") + " plugin failed";
      }
      throw protocol::cni::Failure(e.code, e.msg, e.details, status);
    }
    return out;
  }

 private:
  const rkt_net_context* ctx_;
};

namespace detail {

/// Refuses a cniVersion the plugins do not speak, and CHECK below 0.4.0 (CNI code 1).
inline void checkCniVersion(const protocol::cni::Request& r, rkt_cni_command command) {
  const auto& versions = protocol::cni::supportedVersions();
  if (std::find(versions.begin(), versions.end(), r.cniVersion) == versions.end()) {
    std::string list;
    for (const std::string& v : versions) {
      list += (list.empty() ? "" : " ") + ("\"" + v + "\"");
    }
    throw protocol::cni::Failure(
        protocol::cni::kIncompatibleVersion, "incompatible CNI versions",
        "config is \"" + r.cniVersion + "\", plugin supports [" + list + "]");
  }
  if (command == RKT_CNI_CHECK &&
      (r.cniVersion.compare(0, 2, "0.") == 0 && r.cniVersion.compare(0, 3, "0.4") != 0)) {
    throw protocol::cni::Failure(protocol::cni::kIncompatibleVersion,
                                 "config version does not allow CHECK");
  }
}

/// Runs `body` (given the context and the decoded request) at the boundary: a Failure appends
/// its error object to `result`, everything else is the SDK's usual guard.
template <class Body>
rkt_status cniGuard(const rkt_net_context* ctx, const char* req, size_t len,
                    rkt_buffer_host_ptr result, rkt_error_host_ptr err, rkt_cni_command command,
                    Body&& body) noexcept {
  return guard(err, [&] {
    try {
      const auto request = protocol::decode<protocol::cni::Request>(std::string(req, len));
      if (command != RKT_CNI_VERSION) {
        checkCniVersion(request, command);
      }
      body(NetContext(ctx), request);
    } catch (const protocol::cni::Failure& f) {
      appendResult(result, protocol::encode(f.object()));
      throw;
    }
  });
}

/// Thunks of one CNI kind (Base = Net or Ipam), shared by their KindTraits.
template <class Base, class Ops>
struct CniThunks {
  static rkt_status add(rkt_instance_plugin_ptr p, const rkt_net_context* ctx, const char* req,
                        size_t len, rkt_buffer_host_ptr result, rkt_error_host_ptr err) {
    return cniGuard(ctx, req, len, result, err, RKT_CNI_ADD, [&](const NetContext& c, auto& r) {
      protocol::cni::Result out = self<Base>(p)->add(c, r);
      if (out.cniVersion.empty()) {
        out.cniVersion = r.cniVersion;
      }
      appendResult(result, protocol::encode(out));
    });
  }
  template <rkt_cni_command kCommand,
            void (Base::*kOp)(const NetContext&, const protocol::cni::Request&)>
  static rkt_status voidOp(rkt_instance_plugin_ptr p, const rkt_net_context* ctx, const char* req,
                           size_t len, rkt_buffer_host_ptr result, rkt_error_host_ptr err) {
    return cniGuard(ctx, req, len, result, err, kCommand,
                    [&](const NetContext& c, auto& r) { (self<Base>(p)->*kOp)(c, r); });
  }
  static rkt_status version(rkt_instance_plugin_ptr, const rkt_net_context* ctx, const char* req,
                            size_t len, rkt_buffer_host_ptr result, rkt_error_host_ptr err) {
    return cniGuard(ctx, req, len, result, err, RKT_CNI_VERSION, [&](const NetContext&, auto&) {
      // As the reference plugins' skel: our own current version, whatever was asked.
      protocol::cni::VersionResult v;
      v.supportedVersions = protocol::cni::supportedVersions();
      v.cniVersion = v.supportedVersions.back();
      appendResult(result, protocol::encode(v));
    });
  }
  template <class T>
  static constexpr Ops ops() {
    Ops o{};
    o.struct_size = sizeof o;
    o.add = &add;
    o.del = &voidOp<RKT_CNI_DEL, &Base::del>;
    o.check = &voidOp<RKT_CNI_CHECK, &Base::check>;
    o.gc = ifOverridden<Base>(&T::gc, &voidOp<RKT_CNI_GC, &Base::gc>);
    o.status = ifOverridden<Base>(&T::status, &voidOp<RKT_CNI_STATUS, &Base::status>);
    o.version = &version;
    return o;
  }
};

}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_CNI_PLUGIN_HPP
