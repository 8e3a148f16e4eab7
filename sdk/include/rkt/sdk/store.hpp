// C++ base class for image store plugins (rkt/abi/store.h).
#ifndef RKT_SDK_STORE_HPP
#define RKT_SDK_STORE_HPP

#include <string>

#include "rkt/abi/store.h"
#include "rkt/sdk/plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourStore>("name").
///
/// Every operation but info() takes the JSON request of rkt/abi/store.h and returns its JSON
/// result; throw rkt::sdk::Error with the status the ABI documents (RKT_E_NOT_FOUND,
/// RKT_E_INVALID, RKT_E_BUSY, ...). Only info() is required: an operation the store does not
/// override (publicly) stays NULL in the ops table, so the host reports it unsupported by name
/// without calling the plugin; the defaults below fail with RKT_E_UNSUPPORTED for direct calls.
class Store : public Instance {
 public:
  using KindBase = Store;
  /// JSON description of the store: {"root": "<directory>", "tmp_dir": "<directory>"}.
  virtual std::string info() = 0;

  // ---- ABI 1.1: one method per rkt_store_ops member, in the same order ----
  virtual std::string importImage(const std::string& /*request*/) {
    return unsupported("import_image");
  }
  virtual std::string resolve(const std::string& /*request*/) { return unsupported("resolve"); }
  virtual std::string list(const std::string& /*request*/) { return unsupported("list"); }
  virtual std::string manifest(const std::string& /*request*/) { return unsupported("manifest"); }
  virtual std::string blob(const std::string& /*request*/) { return unsupported("blob"); }
  virtual std::string remove(const std::string& /*request*/) { return unsupported("remove"); }
  virtual std::string render(const std::string& /*request*/) { return unsupported("render"); }
  virtual std::string verify(const std::string& /*request*/) { return unsupported("verify"); }
  virtual std::string listTrees(const std::string& /*request*/) {
    return unsupported("list_trees");
  }
  virtual std::string removeTree(const std::string& /*request*/) {
    return unsupported("remove_tree");
  }
  virtual std::string getRemote(const std::string& /*request*/) {
    return unsupported("get_remote");
  }
  virtual std::string putRemote(const std::string& /*request*/) {
    return unsupported("put_remote");
  }
  // ---- ABI 1.7 ----
  virtual std::string importLayeredImage(const std::string& /*request*/) {
    return unsupported("import_layered_image");
  }

 protected:
  [[noreturn]] static std::string unsupported(const char* op) {
    throw Error(RKT_E_UNSUPPORTED, std::string("store does not support `") + op + "`");
  }
};

namespace detail {
template <>
struct KindTraits<Store> {
  static constexpr rkt_kind kKind = RKT_KIND_STORE;
  using Method = std::string (Store::*)(const std::string&);

  static rkt_status info(rkt_instance_plugin_ptr p, rkt_buffer_host_ptr result,
                         rkt_error_host_ptr err) {
    return guard(err, [&] { appendResult(result, self<Store>(p)->info()); });
  }

  // One thunk per JSON op: the request bytes in, the method's JSON result appended.
  template <Method M>
  static rkt_status jsonOp(rkt_instance_plugin_ptr p, const char* request, size_t requestLen,
                           rkt_buffer_host_ptr result, rkt_error_host_ptr err) {
    return guard(err, [&] {
      std::string req = request != nullptr ? std::string(request, requestLen) : std::string();
      appendResult(result, (self<Store>(p)->*M)(req));
    });
  }

  // By member name; members this layer does not know yet, and the ops T does not override,
  // stay NULL ("not supported").
  template <class T>
  static inline constexpr rkt_store_ops kOps = [] {
    rkt_store_ops ops{};
    ops.struct_size = sizeof ops;
    ops.info = &info;
    ops.import_image = ifOverridden<Store>(&T::importImage, &jsonOp<&Store::importImage>);
    ops.resolve = ifOverridden<Store>(&T::resolve, &jsonOp<&Store::resolve>);
    ops.list = ifOverridden<Store>(&T::list, &jsonOp<&Store::list>);
    ops.manifest = ifOverridden<Store>(&T::manifest, &jsonOp<&Store::manifest>);
    ops.blob = ifOverridden<Store>(&T::blob, &jsonOp<&Store::blob>);
    ops.remove = ifOverridden<Store>(&T::remove, &jsonOp<&Store::remove>);
    ops.render = ifOverridden<Store>(&T::render, &jsonOp<&Store::render>);
    ops.verify = ifOverridden<Store>(&T::verify, &jsonOp<&Store::verify>);
    ops.list_trees = ifOverridden<Store>(&T::listTrees, &jsonOp<&Store::listTrees>);
    ops.remove_tree = ifOverridden<Store>(&T::removeTree, &jsonOp<&Store::removeTree>);
    ops.get_remote = ifOverridden<Store>(&T::getRemote, &jsonOp<&Store::getRemote>);
    ops.put_remote = ifOverridden<Store>(&T::putRemote, &jsonOp<&Store::putRemote>);
    ops.import_layered_image =
        ifOverridden<Store>(&T::importLayeredImage, &jsonOp<&Store::importLayeredImage>);
    return ops;
  }();
};
}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_STORE_HPP
