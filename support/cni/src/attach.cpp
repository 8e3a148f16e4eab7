#include "rkt/support/cni/attach.hpp"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "rkt/support/cni/ip.hpp"
#include "rkt/support/cni/netlink.hpp"
#include "rkt/support/cni/netns.hpp"

namespace rkt::cni {

namespace pc = protocol::cni;

void fail(const std::string& msg) {
  throw pc::Failure(pc::kInternal, msg);
}

namespace {

// Go's UnmarshallableBool: "1", "t", "T", "true", "TRUE", "True".
bool goTrue(const std::string& v) {
  return v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True";
}

// CNI_ARGS as the reference's MacEnvArgs: IgnoreUnknown and MAC; anything else refused unless
// IgnoreUnknown is true. Returns the MAC.
std::string macFromCniArgs(const std::string& args) {
  const auto pairs = pc::parseArgs(args);
  bool ignoreUnknown = false;
  for (const auto& [k, v] : pairs) {
    ignoreUnknown = ignoreUnknown || (k == "IgnoreUnknown" && goTrue(v));
  }
  std::string mac;
  std::string unknown;
  for (const auto& [k, v] : pairs) {
    if (k == "MAC") {
      mac = v;
    } else if (k != "IgnoreUnknown") {
      unknown += (unknown.empty() ? "\"" : " \"") + k + "=" + v + "\"";
    }
  }
  if (!unknown.empty() && !ignoreUnknown) {
    fail("ARGS: unknown args [" + unknown + "]");
  }
  return mac;
}

std::string nestedString(const Poco::JSON::Object::Ptr& o, const std::string& a,
                         const std::string& b, const std::string& key) {
  auto first = o->getObject(a);
  auto second = first.isNull() ? Poco::JSON::Object::Ptr() : first->getObject(b);
  if (b.empty()) {
    second = first;
  }
  return second.isNull() ? "" : second->optValue<std::string>(key, "");
}

}  // namespace

CommonConfig parseCommonConfig(const pc::Request& r, bool macFromArgsCni) {
  CommonConfig c;
  try {
    c.object = Poco::JSON::Parser().parse(r.config.text).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kDecodeFailure, "error unmarshall network config: " + e.message());
  }
  if (r.ifName.empty() || r.ifName.size() > 15 || r.ifName.find('/') != std::string::npos ||
      r.ifName == "." || r.ifName == "..") {
    throw pc::Failure(pc::kInvalidEnvironment, "invalid interface name \"" + r.ifName + "\"");
  }
  try {
    if (auto ipam = c.object->getObject("ipam"); !ipam.isNull()) {
      c.ipamType = ipam->optValue<std::string>("type", "");
    }
    if (auto dns = c.object->getObject("dns"); !dns.isNull()) {
      c.dns = protocol::decode<pc::Dns>(protocol::detail::stringify(dns));
    }
    c.mac = macFromArgsCni ? "" : c.object->optValue<std::string>("mac", "");
    if (std::string mac = macFromCniArgs(r.args); !mac.empty()) {
      c.mac = mac;
    }
    if (macFromArgsCni) {
      if (std::string mac = nestedString(c.object, "args", "cni", "mac"); !mac.empty()) {
        c.mac = mac;
      }
    }
    if (std::string mac = nestedString(c.object, "runtimeConfig", "", "mac"); !mac.empty()) {
      c.mac = mac;
    }
    if (!r.runtimeConfig.text.empty()) {  // the host's, beside the config
      auto rc = Poco::JSON::Parser().parse(r.runtimeConfig.text).extract<Poco::JSON::Object::Ptr>();
      if (std::string mac = rc->optValue<std::string>("mac", ""); !mac.empty()) {
        c.mac = mac;
      }
    }
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kInvalidConfig, "failed to load netconf: " + e.message());
  }
  return c;
}

pc::Result ipamAdd(const sdk::NetContext& ctx, const pc::Request& r) {
  pc::Result ipam = protocol::decode<pc::Result>(ctx.delegate(RKT_KIND_IPAM, RKT_CNI_ADD, r));
  try {
    if (ipam.ips.empty()) {
      fail("IPAM plugin returned missing IP config");
    }
    for (const pc::IpConfig& ipc : ipam.ips) {
      if (!Prefix::parse(ipc.address)) {
        fail("IPAM plugin returned invalid address \"" + ipc.address + "\"");
      }
    }
  } catch (...) {
    ctx.delegate(RKT_KIND_IPAM, RKT_CNI_DEL, r);
    throw;
  }
  return ipam;
}

void configureIface(const std::string& ifName, const pc::Result& result) {
  if (result.interfaces.empty()) {
    fail("no interfaces to configure");
  }
  Netlink nl;
  const int index = nl.linkIndex(ifName);
  if (index == 0) {
    fail("failed to lookup \"" + ifName + "\": Link not found");
  }
  std::optional<Ip> v4gw;
  std::optional<Ip> v6gw;
  bool ipv6Enabled = false;
  for (const pc::IpConfig& ipc : result.ips) {
    if (!ipc.interface) {
      continue;
    }
    const int i = *ipc.interface;
    if (i < 0 || static_cast<std::size_t>(i) >= result.interfaces.size() ||
        result.interfaces[static_cast<std::size_t>(i)].name != ifName) {
      fail("failed to add IP addr " + ipc.address + " to \"" + ifName +
           "\": invalid interface index");
    }
    const Prefix addr = *Prefix::parse(ipc.address);
    if (addr.ip.family == AF_INET6 && !ipv6Enabled) {
      for (const std::string& dev : {std::string("lo"), ifName}) {
        writeSysctl("net/ipv6/conf/" + dev + "/disable_ipv6", "0", true);
      }
      ipv6Enabled = true;
    }
    nl.addAddress(index, addr);
    const auto gw = Ip::parse(ipc.gateway);
    if (gw && gw->family == AF_INET && !v4gw) {
      v4gw = gw;
    } else if (gw && gw->family == AF_INET6 && !v6gw) {
      v6gw = gw;
    }
  }
  nl.linkUp(ifName);
  if (v6gw) {
    // As the reference (ip.SettleAddresses, 10 s in 1.1.1, then on regardless): routes and
    // the pod's first packets want addresses past DAD. A bound, polled every 50 ms.
    for (int i = 0; i < 200 && nl.hasUnsettledAddress(index); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  for (const pc::Route& route : result.routes) {
    const auto dst = Prefix::parse(route.dst);
    if (!dst) {
      fail("invalid route destination \"" + route.dst + "\"");
    }
    std::optional<Ip> gw = Ip::parse(route.gw);
    if (!gw) {
      gw = dst->ip.family == AF_INET ? v4gw : v6gw;
    }
    nl.addRoute({*dst, gw, std::nullopt, index, RT_SCOPE_UNIVERSE});
  }
}

void checkIface(const std::string& ifName, const pc::Result& prev) {
  Netlink nl;
  const int index = nl.linkIndex(ifName);
  if (index == 0) {
    fail("Cannot find container link " + ifName);
  }
  const auto have = nl.addresses(index);
  for (const pc::IpConfig& ipc : prev.ips) {
    const auto want = Prefix::parse(ipc.address);
    bool found = false;
    for (const Prefix& p : have) {
      found = found || (want && p.ip == want->ip && p.length == want->length);
    }
    if (!found) {
      fail("Failed to match addr " + ipc.address + " on interface " + ifName);
    }
  }
  for (const pc::Route& route : prev.routes) {
    const auto dst = Prefix::parse(route.dst);
    if (dst && !nl.hasRoute(*dst, index)) {
      fail("Expected Route " + route.dst + " not found in routing table");
    }
  }
}

pc::Result prevResult(const pc::Request& r) {
  if (!r.prevResult.text.empty()) {
    return protocol::decode<pc::Result>(r.prevResult.text);
  }
  // A host may leave it in the configuration, where CNI's stdin has it.
  auto o = Poco::JSON::Parser().parse(r.config.text).extract<Poco::JSON::Object::Ptr>();
  if (auto prev = o->getObject("prevResult"); !prev.isNull()) {
    return protocol::decode<pc::Result>(protocol::detail::stringify(prev));
  }
  throw pc::Failure(pc::kInternal, "Required prevResult missing");
}

std::string randomVethName() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "veth%08x", static_cast<unsigned>(rd()));
  return buf;
}

}  // namespace rkt::cni
