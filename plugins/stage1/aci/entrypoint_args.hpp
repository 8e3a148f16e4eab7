// The argument vectors rkt's stage0 passes to a stage1 image's entrypoints (rkt-notes §3.2,
// §3.3), per the image's interface version: what a version lacks is left out, with rkt's
// warning where rkt prints one.
#ifndef RKT_PLUGINS_STAGE1_ACI_ENTRYPOINT_ARGS_HPP
#define RKT_PLUGINS_STAGE1_ACI_ENTRYPOINT_ARGS_HPP

#include <string>
#include <vector>

#include "rkt/sdk/protocol/stage1.hpp"

namespace rkt::aci {

struct Invocation {
  std::vector<std::string> argv;      ///< argv[0] is the entrypoint's absolute host path
  std::vector<std::string> warnings;  ///< "warning: --hostname option is not supported by stage1"
};

/// `run`: [--debug] --net=… [--interactive] [--private-users=S:C] [--local-config=DIR]
/// [--hostname=H] (v2)
/// [--dns-conf-mode=resolv=R,hosts=H] (v4) [--disable-capabilities-restriction]
/// [--disable-paths] [--disable-seccomp] (v3) [--ipc=M] (v6) UUID. The hostname is sent when it
/// is not the default `rkt-<uuid>` (the core fills that in; rkt sends none without --hostname),
/// the ipc mode when it is not the default `auto`.
Invocation runInvocation(const protocol::stage1::RunRequest& request, const std::string& path,
                         int version);

/// `enter`: --pid=PID [--appname=APP] -- CMD….
Invocation enterInvocation(const protocol::stage1::EnterRequest& request, const std::string& path);

/// `gc`: [--debug] [--local-config DIR] (two words, v5) UUID.
Invocation gcInvocation(const protocol::stage1::GcRequest& request, const std::string& path,
                        int version);

/// `stop`: [--force] UUID.
Invocation stopInvocation(const protocol::stage1::StopRequest& request, const std::string& path);

}  // namespace rkt::aci

#endif  // RKT_PLUGINS_STAGE1_ACI_ENTRYPOINT_ARGS_HPP
