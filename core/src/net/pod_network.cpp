// The pod's network namespace and its networks (rkt-notes §5.4).
#include "rkt/core/net/pod_network.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "net/pod_rules.hpp"
#include "rkt/core/net/cni_runner.hpp"
#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/sdk/protocol/stage1.hpp"
#include "rkt/support/cni/ip.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::net {

namespace pc = protocol::cni;
namespace layout = protocol::layout;

namespace {

// "cni-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as CNI's ns.NewNS named them for rkt.
std::string randomNetnsName() {
  unsigned char b[16] = {};
  posix::UniqueFd fd(::open("/dev/urandom", O_RDONLY | O_CLOEXEC));
  if (fd.valid()) {
    (void)::read(fd.get(), b, sizeof b);
  }
  char out[64];
  std::snprintf(out, sizeof out,
                "cni-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                b[14], b[15]);
  return out;
}

// /var/run/netns as a shared mount point (bind-mounted onto itself first), as rkt made it, so
// the pod's namespace mount propagates to every mount namespace that copies it.
Status prepareNetnsDir(const std::string& dir) {
  for (std::size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    const std::string part = dir.substr(0, slash);  // mkdir -p: a bare host may lack /var/run
    if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
      return sysError("cannot create `" + part + "`");
    }
    if (slash == std::string::npos) {
      break;
    }
  }
  if (::mount(nullptr, dir.c_str(), nullptr, MS_SHARED | MS_REC, nullptr) != 0) {
    if (errno != EINVAL) {
      return sysError("cannot make `" + dir + "` shared");
    }
    if (::mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0 ||
        ::mount(nullptr, dir.c_str(), nullptr, MS_SHARED | MS_REC, nullptr) != 0) {
      return sysError("cannot make `" + dir + "` a shared mount");
    }
  }
  return {};
}

void bringLoopbackUp() {
  posix::UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq req{};
  std::snprintf(req.ifr_name, sizeof req.ifr_name, "lo");
  if (s.valid() && ::ioctl(s.get(), SIOCGIFFLAGS, &req) == 0) {
    req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
    ::ioctl(s.get(), SIOCSIFFLAGS, &req);
  }
}

// A new network namespace with `lo` up, bind-mounted at `path` (made in a thread of its own,
// so this thread stays in the host's namespace).
Status createNetns(const std::string& path) {
  posix::UniqueFd file(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
  if (!file.valid()) {
    return sysError("cannot create `" + path + "`");
  }
  file.reset();
  int err = 0;
  std::thread t([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      err = errno;
      return;
    }
    bringLoopbackUp();
    if (::mount("/proc/thread-self/ns/net", path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      err = errno;
    }
  });
  t.join();
  if (err != 0) {
    ::unlink(path.c_str());
    errno = err;
    return sysError("cannot create the pod's network namespace `" + path + "`");
  }
  return {};
}

void removeNetns(const std::string& path) {
  ::umount2(path.c_str(), MNT_DETACH);
  ::unlink(path.c_str());
}

// Go's JSON of a net.IPMask (bytes): base64.
std::string goMask(const cni::Prefix& p) {
  cni::Prefix all{p.ip, p.length};
  cni::Ip mask = all.ip;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    const int bits = std::min(8, std::max(0, p.length - static_cast<int>(i) * 8));
    mask.bytes[i] = static_cast<std::uint8_t>(0xff00u >> bits);
  }
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.write(reinterpret_cast<const char*>(mask.bytes.data()),
            static_cast<std::streamsize>(mask.size()));
  enc.close();
  return out.str();
}

std::string cniVersionOf(const std::string& conf) {
  try {
    auto o = Poco::JSON::Parser().parse(conf).extract<Poco::JSON::Object::Ptr>();
    return o->optValue<std::string>("cniVersion", "0.1.0");
  } catch (const Poco::Exception&) {
    return "0.1.0";
  }
}

pc::Request requestFor(const PodNetworkOptions& o, const std::string& name, const std::string& conf,
                       const std::string& ifName, const std::string& args,
                       const std::string& netnsPath) {
  pc::Request r;
  r.cniVersion = cniVersionOf(conf);
  r.name = name;
  r.containerId = o.uuid;
  r.ifName = ifName;
  r.args = args;
  r.netns = netnsPath;
  r.config.text = conf;
  return r;
}

Status writeFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  posix::UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid() || !posix::writeAll(fd.get(), text)) {
    return sysError("cannot write `" + tmp + "`");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return sysError("cannot rename `" + tmp + "`");
  }
  return {};
}

Status writeNetInfo(const PodNetworkOptions& o, const protocol::stage1::NetInfoList& list) {
  return writeFile(o.podDir + "/" + layout::kNetInfo, protocol::encode(list));
}

// DEL of `nets` in reverse; problems are warnings (a DEL that fails must not keep the pod).
void deleteAll(CniRunner& runner, const PodNetworkOptions& o,
               const std::vector<protocol::stage1::NetInfo>& nets, const std::string& netnsPath) {
  posix::UniqueFd netns(netnsPath.empty() ? -1 : ::open(netnsPath.c_str(), O_RDONLY | O_CLOEXEC));
  for (auto it = nets.rbegin(); it != nets.rend(); ++it) {
    // The copy in this pod directory: net-info.json names it where the pod was (run/), and gc
    // runs after the pod moved (exited-garbage/).
    const std::string base = it->netConf.substr(it->netConf.rfind('/') + 1);
    auto conf = posix::readFileAt(AT_FDCWD, o.podDir + "/" + layout::kNetConfDir + "/" + base);
    if (!conf) {
      o.warn("cannot tear down network \"" + it->netName + "\": " + conf.error().message);
      continue;
    }
    const auto out = runner.run(
        RKT_KIND_NET, RKT_CNI_DEL,
        requestFor(o, it->netName, *conf, it->ifName, it->args, netns.valid() ? netnsPath : ""),
        netns.get());
    if (!out.ok) {
      o.warn("error tearing down network \"" + it->netName + "\": " + out.message());
    }
  }
}

// One network the pod is on, as port forwarding chooses among them.
struct Attached {
  std::string name;
  bool ipMasq = false;
  std::string podIp;   ///< the pod's IPv4 address on it
  std::string hostIp;  ///< the gateway of that address (the host side)
};

bool ipMasqOf(const std::string& conf) {
  try {
    auto o = Poco::JSON::Parser().parse(conf).extract<Poco::JSON::Object::Ptr>();
    return o->optValue<bool>("ipMasq", false);
  } catch (const Poco::Exception&) {
    return false;
  }
}

// rkt's forwardable network: the first with ipMasq, else the last.
const Attached& forwardable(const std::vector<Attached>& nets) {
  for (const Attached& a : nets) {
    if (a.ipMasq) {
      return a;
    }
  }
  return nets.back();
}

// rkt: the first network whose result has DNS fills the pod's resolv.conf, unless a --dns
// flag chose another mode; a later one only warns.
void useDns(const PodNetworkOptions& o, const std::string& network, const pc::Dns& dns,
            PodNetworkSetup& setup) {
  if (dns.empty() || o.ignoreDns) {
    return;
  }
  if (!setup.dnsNetwork.empty()) {
    o.warn("Warning: network " + network +
           " plugin specified DNS configuration, but DNS already supplied");
    return;
  }
  setup.dnsNetwork = network;
  setup.dns = dns;
}

}  // namespace

Result<PodNetworkSetup> setupPodNetwork(plugin::PluginRegistry& registry,
                                        const PodNetworkOptions& o,
                                        const std::vector<LoadedNet>& nets) {
  if (Status s = prepareNetnsDir(o.netnsDir); !s) {
    return s.error();
  }
  const std::string netnsPath = o.netnsDir + "/" + randomNetnsName();
  // The path first: gc finds and removes the namespace whatever happens next (a SIGKILL of
  // rkt between the two leaves a path to nothing, which gc ignores).
  if (Status s = writeFile(o.podDir + "/" + layout::kNetns, netnsPath); !s) {
    return s.error();
  }
  if (Status s = createNetns(netnsPath); !s) {
    ::unlink((o.podDir + "/" + layout::kNetns).c_str());
    return s.error();
  }
  CniRunner runner(registry, o.stateRoot, externalCniPath(o.localConfig));
  protocol::stage1::NetInfoList info;
  PodNetworkSetup setup;
  std::vector<Attached> attached;
  const std::string confDir = o.podDir + "/" + layout::kNetConfDir;
  ::mkdir(confDir.c_str(), 0755);
  posix::UniqueFd netns(::open(netnsPath.c_str(), O_RDONLY | O_CLOEXEC));
  Status failed;
  for (std::size_t i = 0; i < nets.size() && failed; ++i) {
    const LoadedNet& n = nets[i];
    protocol::stage1::NetInfo entry;
    entry.netName = n.name;
    entry.netConf = confDir + "/" + n.confFile;
    entry.ifName = "eth" + std::to_string(i);
    entry.args = n.args;
    const std::string type = pluginType(RKT_KIND_NET, n.confText);
    if (auto f = registry.get(RKT_KIND_NET, type)) {
      entry.pluginPath = f->pluginPath();
    }
    // Recorded before ADD, so a SIGKILL of rkt during ADD still gets its DEL at gc.
    info.items.push_back(entry);
    if (Status s = writeFile(entry.netConf, n.confText); !s) {
      failed = s;
      break;
    }
    if (Status s = writeNetInfo(o, info); !s) {
      failed = s;
      break;
    }
    const auto out =
        runner.run(RKT_KIND_NET, RKT_CNI_ADD,
                   requestFor(o, n.name, n.confText, entry.ifName, n.args, netnsPath), netns.get());
    if (!out.ok) {
      failed = Error{"error adding network \"" + n.name + "\": " + out.message()};
      break;
    }
    Attached a{n.name, ipMasqOf(n.confText), {}, {}};
    try {
      const auto result = protocol::decode<pc::Result>(out.result);
      for (const pc::IpConfig& ipc : result.ips) {
        auto p = cni::Prefix::parse(ipc.address);
        if (p && p->ip.family == AF_INET) {
          info.items.back().ip = p->ip.str();
          info.items.back().mask = goMask(*p);
          a.podIp = p->ip.str();
          a.hostIp = ipc.gateway;  // rkt's host IP of a network: its gateway
          break;
        }
      }
      useDns(o, n.name, result.dns, setup);
    } catch (const std::exception& e) {
      failed = Error{"network \"" + n.name + "\" returned an invalid result: " + e.what()};
      break;
    }
    attached.push_back(a);
    if (Status s = writeNetInfo(o, info); !s) {
      failed = s;
    }
  }
  bool forwarded = false;
  if (failed && !o.ports.empty() && !attached.empty()) {
    const Attached& f = forwardable(attached);
    forwarded = true;
    failed = forwardPodPorts(o.uuid, f.name, f.podIp, f.hostIp, o.ports);
  }
  if (!failed) {
    if (forwarded) {
      (void)removePodRules(o.uuid);
    }
    deleteAll(runner, o, info.items, netnsPath);
    netns.reset();
    removeNetns(netnsPath);
    ::unlink((o.podDir + "/" + layout::kNetInfo).c_str());
    ::unlink((o.podDir + "/" + layout::kNetns).c_str());
    return failed.error().wrap("stage1: failed to setup network");
  }
  return setup;
}

void teardownPodNetwork(plugin::PluginRegistry& registry, const PodNetworkOptions& o) {
  auto netnsPath = posix::readFileAt(AT_FDCWD, o.podDir + "/" + layout::kNetns);
  auto infoText = posix::readFileAt(AT_FDCWD, o.podDir + "/" + layout::kNetInfo);
  if (netnsPath || infoText) {
    // rkt's order: the port forwarding first. With it goes any masquerade a plugin left (a
    // SIGKILL during its ADD): every table is found by the pod's UUID.
    if (Status s = removePodRules(o.uuid); !s) {
      o.warn("cannot remove the pod's netfilter rules: " + s.error().message);
    }
  }
  if (infoText) {
    try {
      const auto info = protocol::decode<protocol::stage1::NetInfoList>(*infoText);
      CniRunner runner(registry, o.stateRoot, externalCniPath(o.localConfig));
      deleteAll(runner, o, info.items, netnsPath ? *netnsPath : "");
    } catch (const std::exception& e) {
      o.warn(std::string("cannot tear down the pod's networks: ") + e.what());
    }
  }
  if (netnsPath && !netnsPath->empty()) {
    removeNetns(*netnsPath);
  }
}

}  // namespace rkt::net
