// Names of the plugin ABI's enums, and the mapping from an ops table type to its kind.
#ifndef RKT_CORE_PLUGIN_KINDS_HPP
#define RKT_CORE_PLUGIN_KINDS_HPP

#include <string>
#include <string_view>

#include "rkt/abi/fetcher.h"
#include "rkt/abi/ipam.h"
#include "rkt/abi/net.h"
#include "rkt/abi/plugin.h"
#include "rkt/abi/stage1.h"
#include "rkt/abi/store.h"

namespace rkt::plugin {

/// The kind's name as used in plugin file names ("fetcher", "store", "stage1", "net", "ipam");
/// "" for RKT_KIND_INVALID and for kinds this host does not know.
std::string_view kindName(rkt_kind kind);

/// The kind called `name`; RKT_KIND_INVALID when there is none.
rkt_kind kindFromName(std::string_view name);

/// Short lowercase name of a status ("invalid", "not-found"); "status <n>" for unknown codes.
std::string statusName(rkt_status status);

/// OpsTraits<Ops>::kKind is the kind whose factories carry an ops table of type Ops.
template <class Ops>
struct OpsTraits;
template <>
struct OpsTraits<rkt_fetcher_ops> {
  static constexpr rkt_kind kKind = RKT_KIND_FETCHER;
};
template <>
struct OpsTraits<rkt_store_ops> {
  static constexpr rkt_kind kKind = RKT_KIND_STORE;
};
template <>
struct OpsTraits<rkt_stage1_ops> {
  static constexpr rkt_kind kKind = RKT_KIND_STAGE1;
};
template <>
struct OpsTraits<rkt_net_ops> {
  static constexpr rkt_kind kKind = RKT_KIND_NET;
};
template <>
struct OpsTraits<rkt_ipam_ops> {
  static constexpr rkt_kind kKind = RKT_KIND_IPAM;
};

}  // namespace rkt::plugin

#endif  // RKT_CORE_PLUGIN_KINDS_HPP
