// What the host keeps for one registered factory.
#ifndef RKT_CORE_SRC_PLUGIN_FACTORY_RECORD_HPP
#define RKT_CORE_SRC_PLUGIN_FACTORY_RECORD_HPP

#include <memory>
#include <string>

#include "plugin/library.hpp"
#include "rkt/core/plugin/kinds.hpp"
#include "rkt/core/result.hpp"

namespace rkt::plugin::detail {

/// Host copy of any kind's ops table; the factory's kind says which member is live.
union OpsCopy {
  rkt_fetcher_ops fetcher;
  rkt_store_ops store;
  rkt_stage1_ops stage1;
  rkt_net_ops net;
  rkt_ipam_ops ipam;
};

struct FactoryRecord {
  rkt_kind kind = RKT_KIND_INVALID;
  std::string name;
  std::string pluginPath;
  std::string pluginName;
  rkt_factory factory;  ///< host copy; its pointers point into the plugin
  OpsCopy ops;          ///< zero past the plugin's struct_size, so unknown members read NULL
  std::shared_ptr<Library> library;
};

/// sizeof the host's ops table for `kind`; 0 for an unknown kind.
size_t hostOpsSize(rkt_kind kind);

/// Checks one registration against the ABI (sizes, kind, name, required pointers) and makes
/// the host copies of the factory and its ops table. The error says what is wrong, e.g.
/// "factory `x` has no ops table".
Result<FactoryRecord> copyFactory(const rkt_factory& factory);

}  // namespace rkt::plugin::detail

#endif  // RKT_CORE_SRC_PLUGIN_FACTORY_RECORD_HPP
