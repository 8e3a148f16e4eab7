// `rkt enter` for an nspawn pod (rkt's stage1 enter + enterexec, rkt-notes §3.3): join the IPC,
// UTS, network, PID and mount namespaces of the pod's PID 1, chroot into the app's rootfs and
// run the command as root with the app's environment (`/rkt/env/<app>`) and the caller's TERM.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_POD_ENTER_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_POD_ENTER_HPP

#include <sys/types.h>

#include <string>
#include <vector>

namespace rkt::nspawn {

/// Runs `command` in app `app` of the pod whose PID 1 is `pid`; returns its exit status (128 +
/// the signal number when it was killed). A `/bin/bash` the image lacks becomes `/bin/sh`, with
/// a notice on stderr (rkt's default enter command is /bin/bash).
int enterPod(pid_t pid, const std::string& app, std::vector<std::string> command,
             const std::string& uuid);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_POD_ENTER_HPP
