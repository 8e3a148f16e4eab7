#include "seccomp_filter.hpp"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "pod_plan.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

namespace {

struct ContextRelease {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Context = std::unique_ptr<void, ContextRelease>;

[[noreturn]] void seccompFailed(const std::string& what, int rc) {
  appexec::fail(RKT_E_INTERNAL, "seccomp: " + what + ": " + posix::errnoText(-rc), -rc);
}

}  // namespace

SeccompFilter::SeccompFilter(const AppIsolation& isolation) {
  if (isolation.seccompMode == "none") {
    return;
  }
  const bool retain = isolation.seccompMode == "retain";
  const std::uint32_t blocked =
      isolation.seccompErrno != 0
          ? SCMP_ACT_ERRNO(static_cast<std::uint32_t>(isolation.seccompErrno))
          : SCMP_ACT_KILL_PROCESS;
  Context ctx(seccomp_init(retain ? blocked : SCMP_ACT_ALLOW));
  if (!ctx) {
    seccompFailed("cannot create a filter", -ENOMEM);
  }
  std::vector<std::string> names = isolation.syscalls;
  if (retain) {
    names.insert(names.end(), {"execve", "exit", "exit_group", "rt_sigreturn", "sigreturn"});
  }
  for (const std::string& name : names) {
    const int nr = seccomp_syscall_resolve_name(name.c_str());
    if (nr == __NR_SCMP_ERROR || nr < 0) {
      continue;  // unknown here (chown32 on x86-64, …), as systemd skipped them
    }
    const int rc = seccomp_rule_add(ctx.get(), retain ? SCMP_ACT_ALLOW : blocked, nr, 0);
    // -EACCES: the rule is the default action already (a name listed twice is fine).
    if (rc != 0 && rc != -EEXIST && rc != -EACCES) {
      seccompFailed("cannot add `" + name + "`", rc);
    }
  }
  // The program, through a memory file: seccomp_export_bpf writes to a descriptor.
  posix::UniqueFd mem(::memfd_create("seccomp", MFD_CLOEXEC));
  if (!mem.valid()) {
    seccompFailed("cannot create a memory file", -errno);
  }
  if (const int rc = seccomp_export_bpf(ctx.get(), mem.get()); rc != 0) {
    seccompFailed("cannot compile the filter", rc);
  }
  const off_t size = ::lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) {
    seccompFailed("the compiled filter has a bad size", -EINVAL);
  }
  program_.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
  if (::pread(mem.get(), program_.data(), static_cast<std::size_t>(size), 0) != size) {
    seccompFailed("cannot read the compiled filter", -EIO);
  }
}

const char* SeccompFilter::install() const {
  if (program_.empty()) {
    return nullptr;
  }
  sock_fprog prog{static_cast<unsigned short>(program_.size()),
                  const_cast<sock_filter*>(program_.data())};
  if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    return "cannot install the seccomp filter";
  }
  return nullptr;
}

}  // namespace rkt::nspawn
