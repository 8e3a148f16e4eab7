// Typed, host-side handles on a registered factory and on the instances it creates.
//
// Lifetime: a Factory or Instance keeps the plugin's .so loaded (and its fini uncalled) for as
// long as it exists, even after the PluginRegistry that produced it is gone.
#ifndef RKT_CORE_PLUGIN_FACTORY_HPP
#define RKT_CORE_PLUGIN_FACTORY_HPP

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "rkt/abi/plugin.h"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/kinds.hpp"
#include "rkt/core/result.hpp"

namespace rkt::plugin {

namespace detail {
struct FactoryRecord;
}

class Instance;

/// A factory one plugin registered. Cheap to copy.
class Factory {
 public:
  explicit Factory(std::shared_ptr<const detail::FactoryRecord> record);

  rkt_kind kind() const;
  const std::string& name() const;
  /// The plugin file that registered it, and that plugin's descriptor name.
  const std::string& pluginPath() const;
  const std::string& pluginName() const;
  /// "fetcher `hello`": how messages name this factory.
  std::string displayName() const;

  /// The factory's ops table, a host-owned copy in which members past the plugin's
  /// struct_size are NULL ("not supported"). Precondition: OpsTraits<Ops>::kKind == kind().
  template <class Ops>
  const Ops& ops() const {
    assert(OpsTraits<Ops>::kKind == kind());
    return *static_cast<const Ops*>(opsTable());
  }

  /// Creates an instance from a JSON configuration (`configJson` is passed as bytes; "{}" when
  /// there is no configuration). Fails with the plugin's message.
  Result<Instance> create(const std::string& configJson = "{}") const;

 private:
  friend class Instance;  // destroys through the factory's `destroy`
  const void* opsTable() const;

  std::shared_ptr<const detail::FactoryRecord> record_;
};

/// One plugin-owned instance; destroyed through its factory when this handle is destroyed.
/// Move-only.
class Instance {
 public:
  Instance(Factory factory, rkt_instance_plugin_ptr handle)
      : factory_(std::move(factory)), handle_(handle) {}
  Instance(Instance&& other) noexcept
      : factory_(other.factory_), handle_(std::exchange(other.handle_, nullptr)) {}
  Instance& operator=(Instance&& other) noexcept;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;
  ~Instance();

  const Factory& factory() const { return factory_; }
  /// The plugin's pointer, to pass as `self` to ops members. NULL after a move.
  rkt_instance_plugin_ptr handle() const { return handle_; }

  template <class Ops>
  const Ops& ops() const {
    return factory_.ops<Ops>();
  }

  /// Calls ops member `member` as member(handle(), args..., &err) and returns its status;
  /// RKT_E_UNSUPPORTED (without touching `err`) when the plugin leaves the member NULL.
  ///   rkt_error err; rkt_buffer out;
  ///   inst.call(err, &rkt_fetcher_ops::fetch, req.data(), req.size(), &out);
  template <class Ops, class... Params, class... Args>
  rkt_status call(rkt_error& err, rkt_status (*Ops::*member)(Params...), Args&&... args) const {
    auto fn = ops<Ops>().*member;
    if (fn == nullptr) {
      return RKT_E_UNSUPPORTED;
    }
    return fn(handle_, std::forward<Args>(args)..., &err);
  }

  /// How an op the plugin lacks is reported: an Error naming the op and the factory.
  using LackingOp = Error (*)(std::string_view opName, const Factory& factory);

  /// Like call(), as a Status: the plugin's message on failure, and
  /// "<kind> `<name>` does not support `<opName>`" when the member is NULL.
  template <class Ops, class... Params, class... Args>
  Status invoke(std::string_view opName, rkt_status (*Ops::*member)(Params...),
                Args&&... args) const {
    if (ops<Ops>().*member == nullptr) {
      return doesNotSupport(opName, factory_);
    }
    rkt_error err;
    rkt_status status = call(err, member, std::forward<Args>(args)...);
    if (status != RKT_OK) {
      return failed(opName, status, err);
    }
    return {};
  }

  /// For optional ops whose absence is an answer, not an error (stage1 `describe`: no limits;
  /// `gc`: nothing to release): false when the plugin lacks the op, as a NULL member or as an
  /// RKT_E_UNSUPPORTED answer; true when it ran; the plugin's failure otherwise.
  template <class Ops, class... Params, class... Args>
  Result<bool> invokeIfSupported(std::string_view opName, rkt_status (*Ops::*member)(Params...),
                                 Args&&... args) const {
    if (ops<Ops>().*member == nullptr) {
      return false;
    }
    rkt_error err;
    rkt_status status = call(err, member, std::forward<Args>(args)...);
    if (status == RKT_E_UNSUPPORTED) {
      return false;
    }
    if (status != RKT_OK) {
      return failed(opName, status, err);
    }
    return true;
  }

  /// invokeIfSupported() for kinds whose every op is optional (stage1), where a lacking op is an
  /// error: it fails with lacking(opName, factory()).
  template <class Ops, class... Params, class... Args>
  Status invokeOptional(LackingOp lacking, std::string_view opName,
                        rkt_status (*Ops::*member)(Params...), Args&&... args) const {
    Result<bool> ran = invokeIfSupported(opName, member, std::forward<Args>(args)...);
    if (!ran) {
      return ran.error();
    }
    if (!*ran) {
      return lacking(opName, factory_);
    }
    return {};
  }

 private:
  static Error doesNotSupport(std::string_view opName, const Factory& factory);
  Error failed(std::string_view opName, rkt_status status, const rkt_error& err) const;

  Factory factory_;
  rkt_instance_plugin_ptr handle_ = nullptr;
};

}  // namespace rkt::plugin

#endif  // RKT_CORE_PLUGIN_FACTORY_HPP
