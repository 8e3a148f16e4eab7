// systemd's notify protocol (sd_notify(3)) both ways: each app whose image supports it gets a
// datagram socket of its own (`/run/notify` inside the app, NOTIFY_SOCKET), and the pod sends
// READY=1 to the supervisor's NOTIFY_SOCKET (systemd-nspawn's, with --notify-ready=yes) once
// every such app said READY=1, or once all apps started when none supports it.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_NOTIFY_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_NOTIFY_HPP

#include <string>

#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

/// NOTIFY_SOCKET inside the app.
inline constexpr char kAppNotifySocket[] = "/run/notify";

/// Binds a datagram socket at `path` (a host path of the pod: the app's `/run/notify`) that
/// anyone may send to. Throws on failure.
posix::UniqueFd bindNotifySocket(const std::string& path);

/// Reads one datagram; true when one of its lines is READY=1.
bool receivedReady(int fd);

/// Sends `message` to the socket named by NOTIFY_SOCKET (a path, or `@abstract`); does
/// nothing when it is unset.
void notifyParent(const std::string& message);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_NOTIFY_HPP
