// net and ipam `cni-exec`: runs an external CNI plugin binary for a network type no in-process
// plugin provides (or one forced external with `"rkt.external": true`), with the CNI exec
// protocol (cni-notes §1.2): CNI_* environment, the configuration on stdin, the result or CNI's
// error object on stdout. The binary is the first executable `<dir>/<type>` of the search path
// the host configures (rkt: `$LOCAL/net.d`, /usr/lib/rkt/plugins/net, /usr/lib/cni,
// /opt/cni/bin), which is also its CNI_PATH. Results of any CNI version (0.1.0–1.x) are
// converted to the SDK layout of the request's cniVersion.
#ifndef RKT_PLUGINS_NET_CNI_EXEC_CNI_EXEC_HPP
#define RKT_PLUGINS_NET_CNI_EXEC_CNI_EXEC_HPP

#include <chrono>
#include <string>
#include <vector>

#include "rkt/sdk/ipam.hpp"
#include "rkt/sdk/net.hpp"

namespace rkt::cniexec {

/// What both kinds share. Instance configuration (from the host):
/// `{"path": ["dir", …], "timeout": seconds}`; a network's `"rkt.timeout"` (seconds) overrides
/// the timeout (default 60 s) for that network.
class ExternalCni {
 public:
  explicit ExternalCni(const std::string& config);
  /// Runs `command` ("ADD", "DEL"…) of the binary named by the config's `type` (`ipam.type` for
  /// RKT_KIND_IPAM). Returns stdout; throws protocol::cni::Failure with the plugin's error
  /// object when it fails.
  std::string run(rkt_kind kind, const char* command, const sdk::NetContext& ctx,
                  const protocol::cni::Request& r) const;
  protocol::cni::Result add(rkt_kind kind, const sdk::NetContext& ctx,
                            const protocol::cni::Request& r) const;
  /// The first executable `<dir>/<type>` of the search path; throws when there is none.
  std::string find(const std::string& type) const;

 private:
  std::vector<std::string> path_;
  std::chrono::milliseconds timeout_{60000};
};

/// The factory of one kind (Base: sdk::Net or sdk::Ipam), every op the binary's.
template <class Base, rkt_kind kKind>
class Exec : public Base {
 public:
  explicit Exec(const std::string& config) : impl_(config) {}
  protocol::cni::Result add(const sdk::NetContext& c, const protocol::cni::Request& r) override {
    return impl_.add(kKind, c, r);
  }
  void del(const sdk::NetContext& c, const protocol::cni::Request& r) override {
    impl_.run(kKind, "DEL", c, r);
  }
  void check(const sdk::NetContext& c, const protocol::cni::Request& r) override {
    impl_.run(kKind, "CHECK", c, r);
  }
  void gc(const sdk::NetContext& c, const protocol::cni::Request& r) override {
    impl_.run(kKind, "GC", c, r);
  }
  void status(const sdk::NetContext& c, const protocol::cni::Request& r) override {
    impl_.run(kKind, "STATUS", c, r);
  }

 private:
  ExternalCni impl_;
};

using ExecNet = Exec<sdk::Net, RKT_KIND_NET>;
using ExecIpam = Exec<sdk::Ipam, RKT_KIND_IPAM>;

}  // namespace rkt::cniexec

#endif  // RKT_PLUGINS_NET_CNI_EXEC_CNI_EXEC_HPP
