// What the host offers systemd-nspawn: systemd as PID 1, systemd-machined on the system bus,
// a systemd unit around rkt. Decides --register, --keep-unit and --link-journal as rkt's stage1
// did (rkt-notes §3.6.2 step 9, §3.6.4), without a D-Bus library.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_HOST_SYSTEMD_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_HOST_SYSTEMD_HPP

#include <string>

namespace rkt::nspawn {

/// What the host has, as probed. `root` prefixes every path looked at (tests; "" on a host).
struct HostSystemd {
  /// sd_booted(3): the host runs systemd as its init (/run/systemd/system exists).
  bool runsSystemd = false;
  /// systemd-machined can register the pod: the host runs systemd, the system bus socket
  /// (/run/dbus/system_bus_socket) accepts connections, and machined runs (/run/systemd/machines
  /// exists) or is D-Bus-activatable (its org.freedesktop.machine1 service file).
  bool machinedReachable = false;
  /// rkt runs inside a systemd unit (INVOCATION_ID is set, as systemd ≥ 232 sets it for units).
  bool inUnit = false;
};
HostSystemd probeHostSystemd(const std::string& root = "");

/// The nspawn flags that follow from the host.
struct Registration {
  bool registerMachine = false;  ///< --register=yes, else no
  /// --keep-unit: in a unit (the pod stays in it, as rkt), or without machined (else nspawn
  /// asks systemd over the bus for a scope: "Failed to open system bus" without systemd).
  bool keepUnit = true;
  bool linkJournal = false;  ///< --link-journal=try-guest (host runs systemd), else no
};
Registration decideRegistration(const HostSystemd& host);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_HOST_SYSTEMD_HPP
