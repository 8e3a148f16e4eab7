// The bridge type's configuration (README.md), read and checked before anything changes.
#ifndef RKT_PLUGINS_NET_BRIDGE_CONFIG_HPP
#define RKT_PLUGINS_NET_BRIDGE_CONFIG_HPP

#include <string>

#include "rkt/sdk/protocol/cni.hpp"
#include "rkt/support/cni/attach.hpp"

namespace rkt::bridge {

struct Config {
  cni::CommonConfig common;
  std::string bridge = "cni0";
  bool isGateway = false;
  bool isDefaultGateway = false;
  bool forceAddress = false;
  bool ipMasq = false;
  int mtu = 0;
  bool hairpin = false;
  bool promisc = false;
  int vlan = 0;
  bool enableDad = false;
  bool macSpoofCheck = false;  ///< refused by ADD (DEL has nothing of it to undo)
};

/// The whole configuration (loadNetConf and cmdAdd's checks of the reference).
Config parseConfig(const protocol::cni::Request& r);

}  // namespace rkt::bridge

#endif  // RKT_PLUGINS_NET_BRIDGE_CONFIG_HPP
