#include "delegate_conf.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "rkt/sdk/protocol/cni.hpp"
#include "rkt/support/cni/ip.hpp"

namespace rkt::flannel {

namespace pc = protocol::cni;

namespace {

[[noreturn]] void fail(const std::string& msg) {
  throw pc::Failure(pc::kInternal, msg);
}

// Go's net.ParseCIDR as the reference uses it: the prefix with its host bits cleared.
std::string parseCidr(const std::string& text) {
  const auto p = cni::Prefix::parse(text);
  if (!p) {
    fail("invalid CIDR address: " + text);
  }
  return cni::Prefix{p->network(), p->length}.str();
}

std::vector<std::string> parseCidrList(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    out.push_back(parseCidr(item));
  }
  if (text.empty() || text.back() == ',') {
    out.push_back(parseCidr(""));  // fails as Go's ParseCIDR("") does
  }
  return out;
}

// Parsed with Poco's default objects, whose keys are sorted: what Go's json.Marshal of a map
// writes, so the delegate configuration (and flannel's scratch file) has the reference's bytes.
Poco::JSON::Object::Ptr parseObject(const std::string& json) {
  try {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kDecodeFailure, "failed to load netconf: " + e.message());
  }
}

std::string stringify(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(o, out);
  return out.str();
}

Poco::JSON::Object::Ptr route(const std::string& dst) {
  Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
  r->set("dst", dst);
  return r;
}

Poco::JSON::Array::Ptr rangeSet(const std::string& subnet) {
  Poco::JSON::Object::Ptr range = new Poco::JSON::Object;
  range->set("subnet", subnet);
  Poco::JSON::Array::Ptr set = new Poco::JSON::Array;
  set->add(range);
  return set;
}

}  // namespace

SubnetEnv parseSubnetEnv(const std::string& text, const std::string& path) {
  SubnetEnv env;
  bool haveNetwork = false;
  bool haveIpv6Network = false;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    const std::string key = line.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : line.substr(eq + 1);
    if (key == "FLANNEL_NETWORK") {
      env.networks = parseCidrList(value);
      haveNetwork = true;
    } else if (key == "FLANNEL_SUBNET") {
      env.subnet = parseCidr(value);
    } else if (key == "FLANNEL_IPV6_NETWORK") {
      env.ipv6Networks = parseCidrList(value);
      haveIpv6Network = true;
    } else if (key == "FLANNEL_IPV6_SUBNET") {
      env.ipv6Subnet = parseCidr(value);
    } else if (key == "FLANNEL_MTU") {
      try {
        std::size_t used = 0;
        const unsigned long mtu = std::stoul(value, &used);
        if (used != value.size() || mtu > 0xffffffffUL || value[0] == '-' || value[0] == '+') {
          throw std::invalid_argument(value);
        }
        env.mtu = static_cast<unsigned>(mtu);
      } catch (const std::exception&) {
        fail("strconv.ParseUint: parsing \"" + value + "\": invalid syntax");
      }
    } else if (key == "FLANNEL_IPMASQ") {
      env.ipMasq = value == "true";
    }
  }
  std::string missing;
  auto add = [&](const char* what) {
    missing += (missing.empty() ? "" : ", ") + std::string(what);
  };
  if (!haveNetwork && !haveIpv6Network) {
    add("FLANNEL_NETWORK");
    add("FLANNEL_IPV6_NETWORK");
  }
  if (env.subnet.empty() && env.ipv6Subnet.empty()) {
    add("FLANNEL_SUBNET");
    add("FLANNEL_IPV6_SUBNET");
  }
  if (!env.mtu) {
    add("FLANNEL_MTU");
  }
  if (!env.ipMasq) {
    add("FLANNEL_IPMASQ");
  }
  if (!missing.empty()) {
    fail(path + " is missing " + missing);
  }
  return env;
}

FlannelConf parseFlannelConf(const std::string& configJson) {
  const auto o = parseObject(configJson);
  FlannelConf c;
  try {
    c.subnetFile = o->optValue<std::string>("subnetFile", c.subnetFile);
    c.dataDir = o->optValue<std::string>("dataDir", c.dataDir);
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kDecodeFailure, "failed to load netconf: " + e.message());
  }
  if (c.subnetFile.empty() || c.dataDir.empty()) {
    fail("flannel: subnetFile and dataDir must not be empty");
  }
  if (o->has("delegate") && !o->isNull("delegate")) {
    const auto d = o->getObject("delegate");
    if (d.isNull()) {
      throw pc::Failure(pc::kDecodeFailure, "failed to load netconf: delegate is not an object");
    }
    if (d->has("type") && !d->get("type").isString()) {
      fail("'delegate' dictionary, if present, must have (string) 'type' field");
    }
    if (d->has("name")) {
      fail("'delegate' dictionary must not have 'name' field, it'll be set by flannel");
    }
    if (d->has("ipam")) {
      fail("'delegate' dictionary must not have 'ipam' field, it'll be set by flannel");
    }
  }
  return c;
}

std::string buildDelegateConf(const std::string& configJson, const std::string& runtimeConfigJson,
                              const SubnetEnv& env) {
  const auto conf = parseObject(configJson);
  Poco::JSON::Object::Ptr d = conf->has("delegate") && !conf->isNull("delegate")
                                  ? parseObject(stringify(conf->getObject("delegate")))
                                  : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  if (!runtimeConfigJson.empty()) {
    d->set("runtimeConfig", parseObject(runtimeConfigJson));
  } else if (conf->has("runtimeConfig") && !conf->isNull("runtimeConfig")) {
    d->set("runtimeConfig", conf->getObject("runtimeConfig"));
  }
  d->set("name", conf->optValue<std::string>("name", ""));
  if (!d->has("type")) {
    d->set("type", std::string("bridge"));
  }
  if (!d->has("ipMasq")) {
    d->set("ipMasq", !env.ipMasq.value_or(false));  // flanneld masquerades, or the delegate does
  }
  if (!d->has("mtu")) {
    d->set("mtu", env.mtu.value_or(0));
  }
  if (d->getValue<std::string>("type") == "bridge" && !d->has("isGateway")) {
    d->set("isGateway", true);
  }
  if (const auto version = conf->optValue<std::string>("cniVersion", ""); !version.empty()) {
    d->set("cniVersion", version);
  }

  Poco::JSON::Object::Ptr ipam = conf->has("ipam") && !conf->isNull("ipam")
                                     ? parseObject(stringify(conf->getObject("ipam")))
                                     : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  if (!ipam->has("type")) {
    ipam->set("type", std::string("host-local"));
  }
  Poco::JSON::Array::Ptr ranges = new Poco::JSON::Array;
  if (!env.subnet.empty()) {
    ranges->add(rangeSet(env.subnet));
  }
  if (!env.ipv6Subnet.empty()) {
    ranges->add(rangeSet(env.ipv6Subnet));
  }
  ipam->set("ranges", ranges);
  Poco::JSON::Array::Ptr routes = new Poco::JSON::Array;
  if (ipam->has("routes") && !ipam->isNull("routes")) {
    const auto user = ipam->getArray("routes");
    if (user.isNull()) {
      fail("failed to assemble Delegate IPAM: failed to read IPAM routes: routes is not a list");
    }
    for (std::size_t i = 0; i < user->size(); ++i) {
      routes->add(user->get(i));
    }
  }
  for (const std::string& nw : env.networks) {
    routes->add(route(nw));
  }
  for (const std::string& nw : env.ipv6Networks) {
    routes->add(route(nw));
  }
  ipam->set("routes", routes);
  d->set("ipam", ipam);
  return stringify(d);
}

}  // namespace rkt::flannel
