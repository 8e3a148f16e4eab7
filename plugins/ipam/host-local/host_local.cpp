#include "host_local.hpp"

#include <algorithm>
#include <set>

#include "host_local_config.hpp"
#include "lease_store.hpp"

namespace rkt::hostlocal {

namespace pc = protocol::cni;

namespace {

[[noreturn]] void fail(const std::string& msg) {
  throw pc::Failure(pc::kInternal, msg);
}

bool isGateway(const RangeSet& set, const cni::Ip& ip) {
  return std::any_of(set.ranges.begin(), set.ranges.end(),
                     [&](const Range& r) { return r.gateway == ip; });
}

// The one address of range set `index` for `holder` (allocator.Get of the reference).
std::pair<cni::Ip, const Range*> allocateOne(LeaseStore& store, const RangeSet& set,
                                             std::size_t index, const Holder& holder,
                                             std::vector<cni::Ip>& requested) {
  for (auto it = requested.begin(); it != requested.end(); ++it) {
    const Range* r = set.find(*it);
    if (r == nullptr) {
      continue;
    }
    const cni::Ip ip = *it;
    requested.erase(it);
    if (r->gateway == ip) {
      fail("requested ip " + ip.str() + " is subnet's gateway");
    }
    if (!store.reserve(ip, holder, index)) {
      fail("requested IP address " + ip.str() + " is not available in range set " + set.str());
    }
    return {ip, r};
  }
  for (const cni::Ip& held : store.addressesOf(holder)) {
    if (set.find(held) != nullptr) {
      fail(held.str() + " has been allocated to " + holder.containerId +
           ", duplicate allocation is not allowed");
    }
  }
  // Round robin: start after the last reserved address when it is in the set, else at the
  // first range's start; walk every range to its end, wrapping round once.
  std::size_t ri = 0;
  cni::Ip ip = set.ranges[0].rangeStart;
  if (auto last = store.lastReserved(index); last && set.find(*last) != nullptr) {
    for (ri = 0; !set.ranges[ri].contains(*last); ++ri) {
    }
    ip = *last;
    if (ip == set.ranges[ri].rangeEnd) {
      ri = (ri + 1) % set.ranges.size();
      ip = set.ranges[ri].rangeStart;
    } else {
      ip = ip.step(1);
    }
  }
  const cni::Ip first = ip;
  for (;;) {
    if (!isGateway(set, ip) && store.reserve(ip, holder, index)) {
      return {ip, &set.ranges[ri]};
    }
    if (ip == set.ranges[ri].rangeEnd) {
      ri = (ri + 1) % set.ranges.size();
      ip = set.ranges[ri].rangeStart;
    } else {
      ip = ip.step(1);
    }
    if (ip == first) {
      fail("no IP addresses available in range set: " + set.str());
    }
  }
}

void requireIds(const pc::Request& r) {
  if (r.containerId.empty() || r.ifName.empty()) {
    throw pc::Failure(pc::kInvalidEnvironment,
                      "required env variables [CNI_CONTAINERID,CNI_IFNAME] missing");
  }
}

}  // namespace

pc::Result HostLocal::add(const sdk::NetContext&, const pc::Request& r) {
  requireIds(r);
  Config c = parseConfig(r);  // everything checked before the store is touched
  LeaseStore store(c.dataDir, c.network);
  const Holder holder{r.containerId, r.ifName};
  pc::Result result;
  result.cniVersion = r.cniVersion;
  std::vector<cni::Ip> requested = c.requested;
  try {
    for (std::size_t i = 0; i < c.rangeSets.size(); ++i) {
      try {
        const auto [ip, range] = allocateOne(store, c.rangeSets[i], i, holder, requested);
        pc::IpConfig ipc;
        ipc.address = ip.str() + "/" + std::to_string(range->subnet.length);
        ipc.gateway = range->gateway.str();
        result.ips.push_back(ipc);
      } catch (const pc::Failure& f) {
        fail("failed to allocate for range " + std::to_string(i) + ": " + f.object().msg);
      }
    }
    if (!requested.empty()) {
      std::string list;
      for (const cni::Ip& ip : requested) {
        list += (list.empty() ? "" : ",") + ip.str();
      }
      fail("failed to allocate all requested IPs: " + list);
    }
  } catch (...) {
    store.releaseAll(holder);  // an ADD that fails leaves nothing allocated
    throw;
  }
  result.routes = c.routes;
  result.dns = c.dns;
  return result;
}

void HostLocal::del(const sdk::NetContext&, const pc::Request& r) {
  requireIds(r);
  const Config c = parseConfig(r);
  LeaseStore store(c.dataDir, c.network);
  store.releaseAll({r.containerId, r.ifName});
}

void HostLocal::check(const sdk::NetContext&, const pc::Request& r) {
  requireIds(r);
  const Config c = parseConfig(r);
  LeaseStore store(c.dataDir, c.network);
  if (store.addressesOf({r.containerId, r.ifName}).empty()) {
    fail("host-local: Failed to find address added by container " + r.containerId);
  }
}

void HostLocal::gc(const sdk::NetContext&, const pc::Request& r) {
  const Config c = parseConfig(r);
  LeaseStore store(c.dataDir, c.network);
  std::set<std::pair<std::string, std::string>> keep;
  for (const pc::Attachment& a : r.validAttachments) {
    keep.emplace(a.containerId, a.ifName);
  }
  store.releaseIf([&](const Holder& h) {
    if (h.ifName.empty()) {  // rkt-era lease: kept while any attachment of the id is
      return std::none_of(keep.begin(), keep.end(),
                          [&](const auto& k) { return k.first == h.containerId; });
    }
    return keep.count({h.containerId, h.ifName}) == 0;
  });
}

}  // namespace rkt::hostlocal
