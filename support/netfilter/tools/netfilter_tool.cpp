// rkt-netfilter-tool: drives rkt_support_netfilter from the command line for its functional
// test (tests/functional/test_netfilter.sh) and its benchmark (bench/netfilter.sh). Not
// installed.
//
//   masq-add NETWORK CID ADDR/PREFIX...      masq-del NETWORK CID
//   pfwd-add CID NETWORK PODIP PROTO:[HOSTIP:]HOSTPORT:PODPORT...      pfwd-del CID
//   remove-all CID                           route-localnet HOSTIP
//   bench N  (N × add+remove of one pod's masquerade and two forwarded ports; prints seconds)
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "rkt/support/netfilter/netfilter.hpp"

namespace nf = rkt::netfilter;

namespace {

int report(const rkt::Status& st) {
  if (!st) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 1;
  }
  return 0;
}

bool parseMapping(const std::string& text, nf::PortMapping& out) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1) {
    parts.push_back(text.substr(start, colon - start));
  }
  parts.push_back(text.substr(start));
  if (parts.size() != 3 && parts.size() != 4) {
    return false;
  }
  try {
    out.protocol = parts[0];
    out.hostIp = parts.size() == 4 ? parts[1] : "";
    out.hostPort = static_cast<uint16_t>(std::stoul(parts[parts.size() - 2]));
    out.podPort = static_cast<uint16_t>(std::stoul(parts.back()));
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

int bench(int n) {
  nf::MasqueradeSpec masq{"default", "0123abcd-0000-4000-8000-000000000001", {"172.16.28.2/24"}};
  nf::PortForwardSpec pfwd{masq.containerId, "default", "172.16.28.2", {}};
  pfwd.ports.push_back({"tcp", "", 8080, 80});
  pfwd.ports.push_back({"udp", "", 5353, 53});
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    if (report(nf::addMasquerade(masq)) || report(nf::addPortForwarding(pfwd)) ||
        report(nf::removeAllForContainer(masq.containerId))) {
      return 1;
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("%.6f\n", took.count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  const std::string cmd = a.empty() ? "" : a[0];
  if (cmd == "masq-add" && a.size() >= 4) {
    return report(nf::addMasquerade({a[1], a[2], {a.begin() + 3, a.end()}}));
  }
  if (cmd == "masq-del" && a.size() == 3) {
    return report(nf::removeMasquerade(a[1], a[2]));
  }
  if (cmd == "pfwd-add" && a.size() >= 5) {
    nf::PortForwardSpec spec{a[1], a[2], a[3], {}};
    for (size_t i = 4; i < a.size(); ++i) {
      nf::PortMapping m;
      if (!parseMapping(a[i], m)) {
        std::fprintf(stderr, "invalid port mapping `%s`\n", a[i].c_str());
        return 2;
      }
      spec.ports.push_back(m);
    }
    return report(nf::addPortForwarding(spec));
  }
  if (cmd == "pfwd-del" && a.size() == 2) {
    return report(nf::removePortForwarding(a[1]));
  }
  if (cmd == "remove-all" && a.size() == 2) {
    return report(nf::removeAllForContainer(a[1]));
  }
  if (cmd == "route-localnet" && a.size() == 2) {
    auto n = nf::enableRouteLocalnet(a[1]);
    if (!n) {
      return report(n.error());
    }
    std::printf("%d\n", *n);
    return 0;
  }
  if (cmd == "bench" && a.size() == 2) {
    return bench(std::stoi(a[1]));
  }
  std::fprintf(stderr, "usage: see the comment at the top of netfilter_tool.cpp\n");
  return 2;
}
