// The device policy of an app on cgroup v2, where there is no devices controller: a
// BPF_PROG_TYPE_CGROUP_DEVICE program attached to the app's cgroup, which the kernel runs on
// every mknod and open of a device node by the app's processes (as crun and systemd do).
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_PROGRAM_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_PROGRAM_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace rkt::nspawn {

/// One allowed device, as a cgroup v1 `devices.allow` line says it: `c 1:3 rwm`, `c 136:* rw`,
/// `b 8:0 r`, `a` (any type, `*` any major or minor).
struct DeviceRule {
  char type = 'a';          ///< 'c', 'b' or 'a'
  std::int64_t major = -1;  ///< -1: any
  std::int64_t minor = -1;  ///< -1: any
  unsigned access = 0;      ///< BPF_DEVCG_ACC_* bits
};

/// Parses a `devices.allow` line; throws rkt::sdk::Error naming it when it is not one.
DeviceRule parseDeviceRule(const std::string& line);

/// Loads the program allowing exactly `rules` (everything else denied) and attaches it to the
/// cgroup open at `cgroupFd` (BPF_F_ALLOW_MULTI: a program the host put above still applies).
/// Throws rkt::sdk::Error on failure.
void attachDeviceProgram(int cgroupFd, const std::vector<DeviceRule>& rules);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_PROGRAM_HPP
