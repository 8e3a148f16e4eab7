// What the host offers systemd-nspawn: systemd as PID 1, systemd-machined on the system bus,
// a systemd unit around rkt. Decides --register, --keep-unit and --link-journal as rkt's stage1
// did (rkt-notes §3.6.2 step 9, §3.6.4), without a D-Bus library.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_HOST_SYSTEMD_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_HOST_SYSTEMD_HPP

namespace rkt::nspawn {

/// sd_booted(3): the host runs systemd as its init (/run/systemd/system exists).
bool hostRunsSystemd();

/// Whether systemd-machined can register the pod: the host runs systemd and the system bus
/// socket accepts connections, and machined is running (/run/systemd/machines exists) or
/// D-Bus-activatable. Without machined nspawn must run with --register=no (and --keep-unit, or
/// it asks systemd over the bus for a scope).
bool machinedReachable();

/// rkt runs inside a systemd unit (INVOCATION_ID is set, as systemd ≥ 232 sets it for units).
bool startedFromUnit();

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_HOST_SYSTEMD_HPP
