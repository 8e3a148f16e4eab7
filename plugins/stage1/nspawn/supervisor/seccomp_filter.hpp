// The seccomp isolator in the app's process (rkt-notes §6.7): libseccomp compiles the app's
// allow- or deny-list in the supervisor, before the fork, into a BPF program; the child only
// installs it (one prctl), the last step before execve.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_SECCOMP_FILTER_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_SECCOMP_FILTER_HPP

#include <linux/filter.h>

#include <string>
#include <vector>

namespace rkt::nspawn {

struct AppIsolation;

class SeccompFilter {
 public:
  /// Compiles the filter of `isolation` (mode none: no filter). In retain mode the calls an exec
  /// needs (execve, exit, exit_group, rt_sigreturn, sigreturn) are allowed too, as systemd's
  /// SystemCallFilter= did for rkt; names this architecture lacks are skipped. Throws
  /// rkt::sdk::Error when libseccomp fails.
  explicit SeccompFilter(const AppIsolation& isolation);

  bool active() const { return !program_.empty(); }
  /// Installs the filter on the calling thread (system calls only). Returns nullptr or what
  /// failed (errno set).
  const char* install() const;

 private:
  std::vector<sock_filter> program_;
};

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_SECCOMP_FILTER_HPP
