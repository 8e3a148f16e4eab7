#include "config.hpp"

namespace rkt::bridge {

namespace pc = protocol::cni;
using cni::fail;

Config parseConfig(const pc::Request& r) {
  Config c;
  c.common = cni::parseCommonConfig(r, true);
  c.bridge = cni::configValue<std::string>(c.common, "bridge", c.bridge);
  c.isGateway = cni::configValue(c.common, "isGateway", false);
  c.isDefaultGateway = cni::configValue(c.common, "isDefaultGateway", false);
  c.forceAddress = cni::configValue(c.common, "forceAddress", false);
  c.ipMasq = cni::configValue(c.common, "ipMasq", false);
  c.mtu = cni::configValue(c.common, "mtu", 0);
  c.hairpin = cni::configValue(c.common, "hairpinMode", false);
  c.promisc = cni::configValue(c.common, "promiscMode", false);
  c.vlan = cni::configValue(c.common, "vlan", 0);
  c.enableDad = cni::configValue(c.common, "enabledad", false);
  c.macSpoofCheck = cni::configValue(c.common, "macspoofchk", false);
  if (c.vlan < 0 || c.vlan > 4094) {
    fail("failed to load netconf: invalid VLAN ID " + std::to_string(c.vlan) +
         " (must be between 0 and 4094)");
  }
  if (c.mtu < 0 || c.mtu > 65535) {
    fail("invalid MTU " + std::to_string(c.mtu));
  }
  if (c.bridge.empty() || c.bridge.size() > 15 || c.bridge.find('/') != std::string::npos) {
    throw pc::Failure(pc::kInvalidConfig, "invalid bridge name \"" + c.bridge + "\"");
  }
  if (c.isDefaultGateway) {
    c.isGateway = true;
  }
  return c;
}

}  // namespace rkt::bridge
