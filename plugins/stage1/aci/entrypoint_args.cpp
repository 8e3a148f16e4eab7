#include "entrypoint_args.hpp"

namespace rkt::aci {
namespace {

// The interface version that introduced each option (rkt's interfaceVersionSupports*).
constexpr int kHostnameVersion = 2;
constexpr int kInsecureOptionsVersion = 3;
constexpr int kDnsConfModeVersion = 4;
constexpr int kGcLocalConfigVersion = 5;
constexpr int kIpcVersion = 6;

std::string netList(const std::vector<std::string>& nets) {
  std::string out;
  for (const std::string& n : nets) {
    if (n.empty())
      continue;
    out += (out.empty() ? "" : ",") + n;
  }
  return out.empty() ? "default" : out;
}

}  // namespace

Invocation runInvocation(const protocol::stage1::RunRequest& r, const std::string& path,
                         int version) {
  Invocation inv;
  std::vector<std::string>& a = inv.argv;
  a.push_back(path);
  if (r.debug)
    a.push_back("--debug");
  a.push_back("--net=" + netList(r.net));
  if (r.interactive)
    a.push_back("--interactive");
  if (!r.privateUsers.empty())
    a.push_back("--private-users=" + r.privateUsers);
  if (!r.localConfig.empty())
    a.push_back("--local-config=" + r.localConfig);
  if (!r.hostname.empty() && r.hostname != "rkt-" + r.uuid) {
    if (version >= kHostnameVersion)
      a.push_back("--hostname=" + r.hostname);
    else
      inv.warnings.push_back("warning: --hostname option is not supported by stage1");
  }
  if (r.dnsConfMode.resolv != "default" || r.dnsConfMode.hosts != "default") {
    if (version >= kDnsConfModeVersion)
      a.push_back("--dns-conf-mode=resolv=" + r.dnsConfMode.resolv +
                  ",hosts=" + r.dnsConfMode.hosts);
    else
      inv.warnings.push_back("warning: --dns-conf-mode option not supported by stage1");
  }
  if (version >= kInsecureOptionsVersion) {
    if (r.insecure.capabilities)
      a.push_back("--disable-capabilities-restriction");
    if (r.insecure.paths)
      a.push_back("--disable-paths");
    if (r.insecure.seccomp)
      a.push_back("--disable-seccomp");
  }
  if (!r.ipc.empty() && r.ipc != "auto") {
    if (version >= kIpcVersion)
      a.push_back("--ipc=" + r.ipc);
    else
      inv.warnings.push_back("warning: --ipc option is not supported by stage1");
  }
  a.push_back(r.uuid);
  return inv;
}

Invocation enterInvocation(const protocol::stage1::EnterRequest& r, const std::string& path) {
  Invocation inv;
  inv.argv = {path, "--pid=" + std::to_string(r.pid)};
  if (!r.app.empty())
    inv.argv.push_back("--appname=" + r.app);
  inv.argv.push_back("--");
  inv.argv.insert(inv.argv.end(), r.command.begin(), r.command.end());
  return inv;
}

Invocation gcInvocation(const protocol::stage1::GcRequest& r, const std::string& path,
                        int version) {
  Invocation inv;
  inv.argv.push_back(path);
  if (r.debug)
    inv.argv.push_back("--debug");
  if (version >= kGcLocalConfigVersion && !r.localConfig.empty()) {
    inv.argv.push_back("--local-config");
    inv.argv.push_back(r.localConfig);
  }
  inv.argv.push_back(r.uuid);
  return inv;
}

Invocation stopInvocation(const protocol::stage1::StopRequest& r, const std::string& path) {
  Invocation inv;
  inv.argv.push_back(path);
  if (r.force)
    inv.argv.push_back("--force");
  inv.argv.push_back(r.uuid);
  return inv;
}

}  // namespace rkt::aci
