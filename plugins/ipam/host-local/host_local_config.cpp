#include "host_local_config.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "rkt/support/posix/file_io.hpp"

namespace rkt::hostlocal {

namespace pc = protocol::cni;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

[[noreturn]] void fail(const std::string& msg) {
  throw pc::Failure(pc::kInternal, msg);
}

Object::Ptr parseObject(const std::string& text) {
  if (text.empty()) {
    return new Object;
  }
  try {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kDecodeFailure, "error unmarshall network config: " + e.message());
  }
}

std::string stringField(const Object::Ptr& o, const std::string& key) {
  if (o.isNull() || !o->has(key) || o->isNull(key)) {
    return "";
  }
  const Poco::Dynamic::Var v = o->get(key);
  if (!v.isString()) {
    throw pc::Failure(pc::kDecodeFailure,
                      "error unmarshall network config: field \"" + key + "\" is not a string");
  }
  return v.extract<std::string>();
}

cni::Ip parseIp(const std::string& text, const std::string& what) {
  auto ip = cni::Ip::parse(text);
  if (!ip) {
    fail("invalid " + what + " \"" + text + "\"");
  }
  return *ip;
}

// One range: checked, defaults filled (gateway .1, rangeStart .1, rangeEnd broadcast-1 for v4
// and the last address for v6), as the reference's Range.Canonicalize.
Range canonicalRange(const Object::Ptr& o) {
  const std::string subnetText = stringField(o, "subnet");
  auto subnet = cni::Prefix::parse(subnetText);
  if (!subnet) {
    fail("invalid CIDR address: " + subnetText);
  }
  if (subnet->length > subnet->ip.bits() - 2) {
    fail("Network " + subnet->str() + " too small to allocate from");
  }
  if (subnet->hostBitsSet()) {
    fail("Network has host bits set. For a subnet mask of length " +
         std::to_string(subnet->length) + " the network address is " + subnet->network().str());
  }
  Range r;
  r.subnet = *subnet;
  const std::string gw = stringField(o, "gateway");
  r.gateway = gw.empty() ? subnet->network().step(1) : parseIp(gw, "gateway");
  const std::string start = stringField(o, "rangeStart");
  r.rangeStart = start.empty() ? subnet->network().step(1) : parseIp(start, "rangeStart");
  const std::string end = stringField(o, "rangeEnd");
  r.rangeEnd = !end.empty()                   ? parseIp(end, "rangeEnd")
               : subnet->ip.family == AF_INET ? subnet->last().step(-1)
                                              : subnet->last();
  if (!subnet->contains(r.rangeStart)) {
    fail("RangeStart " + r.rangeStart.str() + " not in network " + subnet->str());
  }
  if (!subnet->contains(r.rangeEnd)) {
    fail("RangeEnd " + r.rangeEnd.str() + " not in network " + subnet->str());
  }
  if (r.rangeEnd < r.rangeStart) {
    fail("RangeStart " + r.rangeStart.str() + " not before RangeEnd " + r.rangeEnd.str());
  }
  return r;
}

RangeSet parseRangeSet(const Array::Ptr& a, std::size_t index) {
  RangeSet set;
  for (std::size_t i = 0; i < a->size(); ++i) {
    try {
      set.ranges.push_back(canonicalRange(a->getObject(static_cast<unsigned>(i))));
    } catch (const pc::Failure& f) {
      fail("invalid range set " + std::to_string(index) + ": " + f.object().msg);
    }
  }
  if (set.ranges.empty()) {
    fail("invalid range set " + std::to_string(index) + ": no IP ranges specified");
  }
  for (std::size_t i = 0; i < set.ranges.size(); ++i) {
    for (std::size_t j = i + 1; j < set.ranges.size(); ++j) {
      const Range& x = set.ranges[i];
      const Range& y = set.ranges[j];
      if (x.subnet.ip.family != y.subnet.ip.family) {
        fail("invalid range set " + std::to_string(index) + ": mixed address families");
      }
      if (x.contains(y.rangeStart) || x.contains(y.rangeEnd) || y.contains(x.rangeStart)) {
        fail("invalid range set " + std::to_string(index) + ": subnets " + x.subnet.str() +
             " and " + y.subnet.str() + " overlap");
      }
    }
  }
  return set;
}

void addRequested(Config& c, const std::string& text) {
  // A requested address may carry a prefix ("10.1.2.3/24"); only the address counts.
  auto p = cni::Prefix::parse(text, true);
  if (!p) {
    fail("invalid IP address \"" + text + "\"");
  }
  c.requested.push_back(p->ip);
}

}  // namespace

bool Range::contains(const cni::Ip& ip) const {
  return subnet.contains(ip) && !(ip < rangeStart) && !(rangeEnd < ip);
}

const Range* RangeSet::find(const cni::Ip& ip) const {
  for (const Range& r : ranges) {
    if (r.contains(ip)) {
      return &r;
    }
  }
  return nullptr;
}

std::string RangeSet::str() const {
  std::string out;
  for (const Range& r : ranges) {
    out += (out.empty() ? "" : ",") + r.str();
  }
  return out;
}

Config parseConfig(const pc::Request& request) {
  Config c;
  c.network = request.name;
  const Object::Ptr config = parseObject(request.config.text);
  const Object::Ptr ipam = config->getObject("ipam");
  if (ipam.isNull()) {
    fail("IPAM config missing 'ipam' key");
  }
  const std::string dataDir = stringField(ipam, "dataDir");
  if (!dataDir.empty()) {
    c.dataDir = dataDir;
  }
  // runtimeConfig.ipRanges come first, then the legacy top-level range, then `ranges`.
  const Object::Ptr runtime = parseObject(request.runtimeConfig.text);
  std::vector<Array::Ptr> sets;
  if (Array::Ptr extra = runtime->getArray("ipRanges"); !extra.isNull()) {
    for (std::size_t i = 0; i < extra->size(); ++i) {
      sets.push_back(extra->getArray(static_cast<unsigned>(i)));
    }
  }
  if (!stringField(ipam, "subnet").empty()) {
    Array::Ptr legacy = new Array;
    legacy->add(ipam);
    sets.push_back(legacy);
  }
  if (Array::Ptr ranges = ipam->getArray("ranges"); !ranges.isNull()) {
    for (std::size_t i = 0; i < ranges->size(); ++i) {
      sets.push_back(ranges->getArray(static_cast<unsigned>(i)));
    }
  }
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (sets[i].isNull()) {
      fail("invalid range set " + std::to_string(i) + ": not a list of ranges");
    }
    c.rangeSets.push_back(parseRangeSet(sets[i], i));
  }
  if (c.rangeSets.empty()) {
    fail("no IP ranges specified");
  }
  for (std::size_t i = 0; i < c.rangeSets.size(); ++i) {
    for (std::size_t j = i + 1; j < c.rangeSets.size(); ++j) {
      for (const Range& r : c.rangeSets[j].ranges) {
        if (c.rangeSets[i].find(r.rangeStart) != nullptr ||
            c.rangeSets[i].find(r.rangeEnd) != nullptr) {
          fail("range set " + std::to_string(i) + " overlaps with " + std::to_string(j));
        }
      }
    }
  }
  // Several addresses of one family need a result format that can say so (0.3.0 and later).
  if (c.rangeSets.size() > 1 && (request.cniVersion == "0.1.0" || request.cniVersion == "0.2.0")) {
    int v4 = 0;
    int v6 = 0;
    for (const RangeSet& s : c.rangeSets) {
      (s.ranges.front().subnet.ip.family == AF_INET ? v4 : v6)++;
    }
    if (v4 > 1 || v6 > 1) {
      fail("CNI version " + request.cniVersion +
           " does not support more than 1 address per family");
    }
  }
  if (Array::Ptr routes = ipam->getArray("routes"); !routes.isNull()) {
    for (std::size_t i = 0; i < routes->size(); ++i) {
      const Object::Ptr r = routes->getObject(static_cast<unsigned>(i));
      pc::Route route;
      route.dst = stringField(r, "dst");
      route.gw = stringField(r, "gw");
      if (!cni::Prefix::parse(route.dst)) {
        fail("invalid route destination \"" + route.dst + "\"");
      }
      c.routes.push_back(route);
    }
  }
  const std::string resolvConf = stringField(ipam, "resolvConf");
  if (!resolvConf.empty()) {
    auto text = posix::readFileAt(AT_FDCWD, resolvConf, true);
    if (!text) {
      fail(text.error().message);
    }
    c.dns = parseResolvConf(*text);
  }

  // Requested addresses, in the reference's order: CNI_ARGS IP, args.cni.ips, runtimeConfig.ips.
  bool ignoreUnknown = false;
  std::vector<std::string> unknown;
  const auto args = pc::parseArgs(request.args);
  for (const auto& [k, v] : args) {
    if (k == "IgnoreUnknown") {
      ignoreUnknown = v == "1" || v == "true" || v == "True";
    }
  }
  for (const auto& [k, v] : args) {
    if (k == "IP") {
      addRequested(c, v);
    } else if (k != "IgnoreUnknown" && !ignoreUnknown) {
      unknown.push_back("\"" + k + "=" + v + "\"");
    }
  }
  if (!unknown.empty()) {
    std::string list;
    for (const std::string& u : unknown) {
      list += (list.empty() ? "" : " ") + u;
    }
    fail("ARGS: unknown args [" + list + "]");
  }
  if (Object::Ptr a = config->getObject("args"); !a.isNull()) {
    if (Object::Ptr cniArgs = a->getObject("cni"); !cniArgs.isNull()) {
      if (Array::Ptr ips = cniArgs->getArray("ips"); !ips.isNull()) {
        for (std::size_t i = 0; i < ips->size(); ++i) {
          addRequested(c, ips->getElement<std::string>(static_cast<unsigned>(i)));
        }
      }
    }
  }
  if (Array::Ptr ips = runtime->getArray("ips"); !ips.isNull()) {
    for (std::size_t i = 0; i < ips->size(); ++i) {
      addRequested(c, ips->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  return c;
}

pc::Dns parseResolvConf(const std::string& text) {
  pc::Dns dns;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line.substr(0, line.find_first_of("#;")));
    std::string key;
    if (!(words >> key)) {
      continue;
    }
    std::vector<std::string> values;
    for (std::string w; words >> w;) {
      values.push_back(w);
    }
    if (key == "nameserver" && !values.empty()) {
      dns.nameservers.push_back(values.front());
    } else if (key == "domain" && !values.empty()) {
      dns.domain = values.front();
    } else if (key == "search") {
      dns.search = values;
    } else if (key == "options") {
      dns.options.insert(dns.options.end(), values.begin(), values.end());
    }
  }
  return dns;
}

}  // namespace rkt::hostlocal
