#include "rkt/support/cni/result_version.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace rkt::cni {

namespace pc = protocol::cni;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Object::Ptr newObject() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

bool isV6(const std::string& cidrOrIp) {
  return cidrOrIp.find(':') != std::string::npos;
}

// A 0.1.0/0.2.0 `ip4`/`ip6` object into the SDK layout (convertFrom02x: the address, its
// gateway, its routes appended to the result's).
void addLegacyIp(const Object::Ptr& ipc, pc::Result& out) {
  if (ipc.isNull()) {
    return;
  }
  pc::IpConfig c;
  c.address = ipc->optValue<std::string>("ip", "");
  c.gateway = ipc->optValue<std::string>("gateway", "");
  if (c.address.empty()) {
    throw pc::Failure(pc::kDecodeFailure, "invalid CNI result: an ip4/ip6 entry has no \"ip\"");
  }
  out.ips.push_back(c);
  if (auto routes = ipc->getArray("routes"); !routes.isNull()) {
    for (std::size_t i = 0; i < routes->size(); ++i) {
      auto route = routes->getObject(i);
      if (route.isNull()) {
        throw pc::Failure(pc::kDecodeFailure, "invalid CNI result: a route is not an object");
      }
      out.routes.push_back({route->optValue<std::string>("dst", ""),
                            route->optValue<std::string>("gw", ""), std::nullopt, std::nullopt,
                            std::nullopt});
    }
  }
}

// A route as 0.1.0/0.2.0 had them: dst and gw only.
Object::Ptr legacyRoute(const pc::Route& r) {
  auto o = newObject();
  o->set("dst", r.dst);
  if (!r.gw.empty()) {
    o->set("gw", r.gw);
  }
  return o;
}

Object::Ptr dnsObject(const pc::Dns& d) {
  return protocol::detail::parseDocument(protocol::encode(d), "CNI dns", false)
      .extract<Object::Ptr>();
}

}  // namespace

bool isLegacyLayout(const std::string& version) {
  return version.empty() || version == "0.1.0" || version == "0.2.0";
}

pc::Result parseResultAnyVersion(const std::string& json, const std::string& asVersion) {
  Object::Ptr o;
  try {
    auto v = Poco::JSON::Parser(new Poco::JSON::ParseHandler(true)).parse(json);
    o = v.extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kDecodeFailure, "invalid CNI result: " + e.displayText());
  } catch (const std::exception&) {
    throw pc::Failure(pc::kDecodeFailure, "invalid CNI result: not a JSON object");
  }
  const std::string version = o->optValue<std::string>("cniVersion", "");
  const bool legacy = version.empty() ? (o->has("ip4") || o->has("ip6")) : isLegacyLayout(version);
  pc::Result out;
  try {
    if (legacy) {
      addLegacyIp(o->getObject("ip4"), out);
      addLegacyIp(o->getObject("ip6"), out);
      if (auto dns = o->getObject("dns"); !dns.isNull()) {
        out.dns = protocol::decode<pc::Dns>(protocol::detail::stringify(dns));
      }
    } else {
      // 0.3.x/0.4.0 differ from 1.x only by ips[].version, which the SDK layout drops.
      auto copy = newObject();
      copy->set("cniVersion", asVersion);
      for (const char* key : {"interfaces", "ips", "routes", "dns"}) {
        if (o->has(key)) {
          copy->set(key, o->get(key));
        }
      }
      out = protocol::decode<pc::Result>(protocol::detail::stringify(copy));
    }
  } catch (const pc::Failure&) {
    throw;
  } catch (const std::exception& e) {
    throw pc::Failure(pc::kDecodeFailure, std::string("invalid CNI result: ") + e.what());
  }
  out.cniVersion = asVersion;
  return out;
}

std::string encodeResultAs(const pc::Result& r, const std::string& version) {
  if (!isLegacyLayout(version)) {
    pc::Result copy = r;
    copy.cniVersion = version;
    if (version.compare(0, 2, "0.") != 0) {
      return protocol::encode(copy);
    }
    // 0.3.x/0.4.0: "version" first in every ips entry (convertTo04x).
    auto o = protocol::detail::parseDocument(protocol::encode(copy), "CNI result", false)
                 .extract<Object::Ptr>();
    if (auto ips = o->getArray("ips"); !ips.isNull()) {
      auto out = new Array();
      for (std::size_t i = 0; i < ips->size(); ++i) {
        auto from = ips->getObject(i);
        auto to = newObject();
        to->set("version", isV6(from->getValue<std::string>("address")) ? "6" : "4");
        for (const auto& key : from->getNames()) {
          to->set(key, from->get(key));
        }
        out->add(to);
      }
      o->set("ips", Array::Ptr(out));
    }
    return protocol::detail::stringify(o);
  }
  // 0.1.0/0.2.0 (convertTo02x): the first address of each family, routes by family.
  const pc::IpConfig* ip4 = nullptr;
  const pc::IpConfig* ip6 = nullptr;
  for (const pc::IpConfig& c : r.ips) {
    const pc::IpConfig*& slot = isV6(c.address) ? ip6 : ip4;
    if (slot == nullptr) {
      slot = &c;
    }
  }
  if (ip4 == nullptr && ip6 == nullptr) {
    throw pc::Failure(pc::kInternal, "cannot convert: no valid IP addresses");
  }
  auto o = newObject();
  o->set("cniVersion", version.empty() ? std::string("0.1.0") : version);
  for (const pc::IpConfig* c : {ip4, ip6}) {
    if (c == nullptr) {
      continue;
    }
    auto ipc = newObject();
    ipc->set("ip", c->address);
    if (!c->gateway.empty()) {
      ipc->set("gateway", c->gateway);
    }
    Array::Ptr routes = new Array();
    for (const pc::Route& route : r.routes) {
      if (isV6(route.dst) == (c == ip6)) {
        routes->add(legacyRoute(route));
      }
    }
    if (routes->size() > 0) {
      ipc->set("routes", routes);
    }
    o->set(c == ip4 ? "ip4" : "ip6", ipc);
  }
  o->set("dns", dnsObject(r.dns));
  return protocol::detail::stringify(o);
}

}  // namespace rkt::cni
