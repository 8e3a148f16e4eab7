// nftables JSON for the masquerade and port-forwarding tables (rules.hpp). The rule shapes are
// the reference plugins' ipMasq rules and rkt's RKT-PFWD-* rules (cni-notes §2.0, rkt-notes
// §5.4), written as native nftables expressions in tables of our own.
#include "rkt/support/netfilter/rules.hpp"

#include <openssl/evp.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <sstream>

#include "address.hpp"

namespace rkt {
namespace netfilter {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kMasqPrefix = "rkt-masq-";
constexpr const char* kPfwdPrefix = "rkt-pfwd-";
constexpr size_t kNetworkHashLength = 16;
// nftables names hold at most 255 bytes (NFT_NAME_MAXLEN 256 with the NUL).
constexpr size_t kMaxTableName = 255;
constexpr size_t kMaxComment = 127;
constexpr int kPrioDstnat = -100;  // nft's `dstnat` (iptables' nat PREROUTING, OUTPUT)
constexpr int kPrioSrcnat = 100;   // nft's `srcnat` (iptables' nat POSTROUTING)

std::string sha512Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha512(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xf]);
  }
  return out;
}

Object::Ptr obj() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Object::Ptr wrap(const std::string& key, const Poco::Dynamic::Var& value) {
  Object::Ptr o = obj();
  o->set(key, value);
  return o;
}

/// {"match": {"op": op, "left": {"payload": {"protocol": p, "field": f}}, "right": right}}
Object::Ptr matchPayload(const std::string& protocol, const std::string& field,
                         const std::string& op, const Poco::Dynamic::Var& right) {
  Object::Ptr payload = obj();
  payload->set("protocol", protocol);
  payload->set("field", field);
  Object::Ptr m = obj();
  m->set("op", op);
  m->set("left", wrap("payload", payload));
  m->set("right", right);
  return wrap("match", m);
}

Object::Ptr prefix(const std::string& addr, int len) {
  Object::Ptr p = obj();
  p->set("addr", addr);
  p->set("len", len);
  return wrap("prefix", p);
}

/// `fib daddr type local`: what iptables-nft writes for `-m addrtype --dst-type LOCAL`.
Object::Ptr matchLocalDestination() {
  Object::Ptr fib = obj();
  fib->set("result", "type");
  Array::Ptr flags = new Array;
  flags->add("daddr");
  fib->set("flags", flags);
  Object::Ptr m = obj();
  m->set("op", "==");
  m->set("left", wrap("fib", fib));
  m->set("right", "local");
  return wrap("match", m);
}

Object::Ptr counter() {
  Object::Ptr c = obj();
  c->set("packets", 0);
  c->set("bytes", 0);
  return wrap("counter", c);
}

Object::Ptr verdict(const std::string& name) {
  return wrap(name, Poco::Dynamic::Var());
}

Object::Ptr jump(const std::string& chain) {
  return wrap("jump", wrap("target", chain));
}

class Batch {
 public:
  Batch() : commands_(new Array) {}

  void table(const std::string& verb, const OwnedTable& t) {
    Object::Ptr o = obj();
    o->set("family", t.family);
    o->set("name", t.name);
    add(verb, "table", o);
  }
  void baseChain(const OwnedTable& t, const std::string& name, const std::string& hook, int prio) {
    Object::Ptr o = chainObject(t, name);
    o->set("type", "nat");
    o->set("hook", hook);
    o->set("prio", prio);
    o->set("policy", "accept");
    add("add", "chain", o);
  }
  void chain(const OwnedTable& t, const std::string& name) {
    add("add", "chain", chainObject(t, name));
  }
  void rule(const OwnedTable& t, const std::string& chain, std::vector<Object::Ptr> exprs,
            const std::string& comment) {
    Object::Ptr o = chainObject(t, chain);
    o->remove("name");
    o->set("chain", chain);
    Array::Ptr expr = new Array;
    for (auto& e : exprs) {
      expr->add(e);
    }
    o->set("expr", expr);
    o->set("comment", comment);
    add("add", "rule", o);
  }
  /// Adding a table that exists is a no-op: "add, delete" removes it whether or not it was there,
  /// in the same transaction as what follows.
  void replaceTable(const OwnedTable& t) {
    table("add", t);
    table("delete", t);
    table("add", t);
  }
  void removeTable(const OwnedTable& t) {
    table("add", t);
    table("delete", t);
  }
  void list(const std::string& what) { add("list", what, Poco::Dynamic::Var()); }

  std::string str() const {
    Object::Ptr root = obj();
    root->set("nftables", commands_);
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(root, out);
    return out.str();
  }

 private:
  static Object::Ptr chainObject(const OwnedTable& t, const std::string& name) {
    Object::Ptr o = obj();
    o->set("family", t.family);
    o->set("table", t.name);
    o->set("name", name);
    return o;
  }
  void add(const std::string& verb, const std::string& kind, const Poco::Dynamic::Var& o) {
    Object::Ptr inner = obj();
    inner->set(kind, o.isEmpty() ? Poco::Dynamic::Var(obj()) : o);
    commands_->add(wrap(verb, inner));
  }

  Array::Ptr commands_;
};

Status validateNetwork(const std::string& network) {
  if (network.empty()) {
    return Error{"invalid network name: empty"};
  }
  return {};
}

}  // namespace

Status validateContainerId(const std::string& containerId) {
  auto isAlnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  const bool ok = !containerId.empty() && isAlnum(containerId[0]) &&
                  std::all_of(containerId.begin(), containerId.end(), [&](char c) {
                    return isAlnum(c) || c == '_' || c == '.' || c == '-';
                  });
  if (!ok) {
    return Error{"invalid container id `" + containerId +
                 "`: must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"};
  }
  const size_t longest = std::string(kMasqPrefix).size() + kNetworkHashLength + 1;
  if (longest + containerId.size() > kMaxTableName) {
    return Error{"invalid container id `" + containerId + "`: longer than " +
                 std::to_string(kMaxTableName - longest) + " characters"};
  }
  return {};
}

std::string cniChainName(const std::string& network, const std::string& containerId) {
  return "CNI-" + sha512Hex(network + containerId).substr(0, 24);
}

std::string ruleComment(const std::string& network, const std::string& containerId) {
  // The reference plugins' comment without its double quotes: nft prints comments between
  // quotes without escaping, so a quoted one would make `nft list ruleset` unrestorable.
  std::string out = "name: " + network + " id: " + containerId;
  std::replace(out.begin(), out.end(), '"', '\'');
  std::replace(out.begin(), out.end(), '\\', '/');
  // nftables keeps at most 128 bytes of a comment (NFTNL_UDATA_COMMENT_MAXLEN, with the NUL).
  return out.substr(0, kMaxComment);
}

OwnedTable masqueradeTable(const std::string& network, const std::string& containerId) {
  return {"inet",
          kMasqPrefix + sha512Hex(network).substr(0, kNetworkHashLength) + "-" + containerId};
}

OwnedTable portForwardTable(const std::string& containerId) {
  return {"ip", kPfwdPrefix + containerId};
}

std::string dnatChainName(const std::string& containerId) {
  return "RKT-PFWD-DNAT-" + containerId.substr(0, 8);
}

std::string snatChainName(const std::string& containerId) {
  return "RKT-PFWD-SNAT-" + containerId.substr(0, 8);
}

Result<std::string> masqueradeAddBatch(const MasqueradeSpec& spec) {
  if (auto st = validateNetwork(spec.network); !st) {
    return st.error();
  }
  if (auto st = validateContainerId(spec.containerId); !st) {
    return st.error();
  }
  if (spec.addresses.empty()) {
    return Error{"cannot masquerade network `" + spec.network + "`: no pod address"};
  }
  const OwnedTable t = masqueradeTable(spec.network, spec.containerId);
  const std::string chain = cniChainName(spec.network, spec.containerId);
  const std::string comment = ruleComment(spec.network, spec.containerId);
  Batch b;
  b.replaceTable(t);
  b.baseChain(t, "postrouting", "postrouting", kPrioSrcnat);
  b.chain(t, chain);
  std::vector<std::string> seen;
  for (const auto& text : spec.addresses) {
    auto a = parseAddressPrefix(text);
    if (!a) {
      return a.error();
    }
    if (std::find(seen.begin(), seen.end(), a->address + "/" + std::to_string(a->prefix)) !=
        seen.end()) {
      continue;
    }
    seen.push_back(a->address + "/" + std::to_string(a->prefix));
    const std::string ip = a->ipv6 ? "ip6" : "ip";
    // -A POSTROUTING -s <ip> -j CNI-…
    b.rule(t, "postrouting", {matchPayload(ip, "saddr", "==", a->address), counter(), jump(chain)},
           comment);
    // -A CNI-… -d <subnet> -j ACCEPT
    b.rule(t, chain,
           {matchPayload(ip, "daddr", "==", prefix(a->subnet, a->prefix)), counter(),
            verdict("accept")},
           comment);
    // -A CNI-… ! -d 224.0.0.0/4 -j MASQUERADE   (ff00::/8 for IPv6)
    b.rule(t, chain,
           {matchPayload(ip, "daddr", "!=", a->ipv6 ? prefix("ff00::", 8) : prefix("224.0.0.0", 4)),
            counter(), verdict("masquerade")},
           comment);
  }
  return b.str();
}

Result<std::string> portForwardAddBatch(const PortForwardSpec& spec) {
  if (auto st = validateContainerId(spec.containerId); !st) {
    return st.error();
  }
  if (!isIpv4(spec.podIp)) {
    return Error{"cannot forward ports to pod address `" + spec.podIp + "`: not an IPv4 address"};
  }
  for (const auto& p : spec.ports) {
    if (p.protocol != "tcp" && p.protocol != "udp") {
      return Error{"invalid port protocol `" + p.protocol + "`: must be tcp or udp"};
    }
    if (p.hostPort == 0 || p.podPort == 0) {
      return Error{"invalid port mapping: ports must be 1-65535"};
    }
    if (!p.hostIp.empty() && !isIpv4(p.hostIp)) {
      return Error{"invalid host IP `" + p.hostIp + "`: not an IPv4 address"};
    }
  }
  const OwnedTable t = portForwardTable(spec.containerId);
  const std::string dnat = dnatChainName(spec.containerId);
  const std::string snat = snatChainName(spec.containerId);
  const std::string comment = ruleComment(spec.network, spec.containerId);
  Batch b;
  b.replaceTable(t);
  b.baseChain(t, "prerouting", "prerouting", kPrioDstnat);
  b.baseChain(t, "output", "output", kPrioDstnat);
  b.baseChain(t, "postrouting", "postrouting", kPrioSrcnat);
  b.chain(t, dnat);
  b.chain(t, snat);
  // PREROUTING and OUTPUT: -m addrtype --dst-type LOCAL -j RKT-PFWD-DNAT-…
  b.rule(t, "prerouting", {matchLocalDestination(), counter(), jump(dnat)}, comment);
  b.rule(t, "output", {matchLocalDestination(), counter(), jump(dnat)}, comment);
  // POSTROUTING: -s 127.0.0.1 ! -d 127.0.0.1 -j RKT-PFWD-SNAT-…
  b.rule(t, "postrouting",
         {matchPayload("ip", "saddr", "==", "127.0.0.1"),
          matchPayload("ip", "daddr", "!=", "127.0.0.1"), counter(), jump(snat)},
         comment);
  // Hairpin (not in rkt): the pod reaching its own forwarded port through the host.
  b.rule(t, "postrouting",
         {matchPayload("ip", "saddr", "==", spec.podIp),
          matchPayload("ip", "daddr", "==", spec.podIp), counter(), jump(snat)},
         comment);
  for (const auto& p : spec.ports) {
    // RKT-PFWD-DNAT: -d <hostIP> -p P --dport H -j DNAT --to-destination <podIP>:<podPort>
    std::vector<Object::Ptr> d;
    if (!p.hostIp.empty() && p.hostIp != "0.0.0.0") {
      d.push_back(matchPayload("ip", "daddr", "==", p.hostIp));
    }
    d.push_back(matchPayload(p.protocol, "dport", "==", static_cast<int>(p.hostPort)));
    d.push_back(counter());
    Object::Ptr to = obj();
    to->set("addr", spec.podIp);
    to->set("port", static_cast<int>(p.podPort));
    d.push_back(wrap("dnat", to));
    b.rule(t, dnat, d, comment);
    // RKT-PFWD-SNAT: -p P -s 127.0.0.1 -d <podIP> --dport <podPort> -j MASQUERADE, and the same
    // from the pod's own address.
    for (const std::string& source : {std::string("127.0.0.1"), spec.podIp}) {
      b.rule(
          t, snat,
          {matchPayload("ip", "saddr", "==", source), matchPayload("ip", "daddr", "==", spec.podIp),
           matchPayload(p.protocol, "dport", "==", static_cast<int>(p.podPort)), counter(),
           verdict("masquerade")},
          comment);
    }
  }
  return b.str();
}

std::string removeTablesBatch(const std::vector<OwnedTable>& tables) {
  Batch b;
  for (const auto& t : tables) {
    b.removeTable(t);
  }
  return b.str();
}

std::string listTablesBatch() {
  Batch b;
  b.list("tables");
  return b.str();
}

Result<std::vector<OwnedTable>> tablesOfContainer(const std::string& listOutput,
                                                  const std::string& containerId) {
  if (auto st = validateContainerId(containerId); !st) {
    return st.error();
  }
  std::vector<OwnedTable> out;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(listOutput).extract<Object::Ptr>();
    auto items = root->getArray("nftables");
    for (size_t i = 0; items && i < items->size(); ++i) {
      auto item = items->getObject(static_cast<unsigned>(i));
      if (!item || !item->has("table")) {
        continue;
      }
      auto table = item->getObject("table");
      const std::string family = table->optValue<std::string>("family", "");
      const std::string name = table->optValue<std::string>("name", "");
      const std::string masq = kMasqPrefix;
      const bool isPfwd = family == "ip" && name == kPfwdPrefix + containerId;
      const bool isMasq = family == "inet" && name.size() > masq.size() + kNetworkHashLength + 1 &&
                          name.compare(0, masq.size(), masq) == 0 &&
                          name[masq.size() + kNetworkHashLength] == '-' &&
                          name.substr(masq.size() + kNetworkHashLength + 1) == containerId;
      if (isPfwd || isMasq) {
        out.push_back({family, name});
      }
    }
  } catch (const Poco::Exception& e) {
    return Error{"cannot read the nftables table list: " + e.displayText()};
  }
  return out;
}

}  // namespace netfilter
}  // namespace rkt
