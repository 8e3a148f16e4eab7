#include "linux_names.hpp"

#include <linux/capability.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <utility>

namespace rkt::nspawn {

namespace {

// Every capability and errno constant of the kernel headers this was written against
// (<linux/capability.h>, <asm-generic/errno*.h> and glibc's ENOTSUP), by name.
#define C(x) \
  { #x, x }
const std::pair<const char*, unsigned> kCapabilities[] = {
    C(CAP_CHOWN),
    C(CAP_DAC_OVERRIDE),
    C(CAP_DAC_READ_SEARCH),
    C(CAP_FOWNER),
    C(CAP_FSETID),
    C(CAP_KILL),
    C(CAP_SETGID),
    C(CAP_SETUID),
    C(CAP_SETPCAP),
    C(CAP_LINUX_IMMUTABLE),
    C(CAP_NET_BIND_SERVICE),
    C(CAP_NET_BROADCAST),
    C(CAP_NET_ADMIN),
    C(CAP_NET_RAW),
    C(CAP_IPC_LOCK),
    C(CAP_IPC_OWNER),
    C(CAP_SYS_MODULE),
    C(CAP_SYS_RAWIO),
    C(CAP_SYS_CHROOT),
    C(CAP_SYS_PTRACE),
    C(CAP_SYS_PACCT),
    C(CAP_SYS_ADMIN),
    C(CAP_SYS_BOOT),
    C(CAP_SYS_NICE),
    C(CAP_SYS_RESOURCE),
    C(CAP_SYS_TIME),
    C(CAP_SYS_TTY_CONFIG),
    C(CAP_MKNOD),
    C(CAP_LEASE),
    C(CAP_AUDIT_WRITE),
    C(CAP_AUDIT_CONTROL),
    C(CAP_SETFCAP),
    C(CAP_MAC_OVERRIDE),
    C(CAP_MAC_ADMIN),
    C(CAP_SYSLOG),
    C(CAP_WAKE_ALARM),
    C(CAP_BLOCK_SUSPEND),
    C(CAP_AUDIT_READ),
    C(CAP_PERFMON),
    C(CAP_BPF),
    C(CAP_CHECKPOINT_RESTORE),
};
#undef C

#define E(x) \
  { #x, x }
const std::pair<const char*, int> kErrnos[] = {
    E(EPERM),
    E(ENOENT),
    E(ESRCH),
    E(EINTR),
    E(EIO),
    E(ENXIO),
    E(E2BIG),
    E(ENOEXEC),
    E(EBADF),
    E(ECHILD),
    E(EAGAIN),
    E(ENOMEM),
    E(EACCES),
    E(EFAULT),
    E(ENOTBLK),
    E(EBUSY),
    E(EEXIST),
    E(EXDEV),
    E(ENODEV),
    E(ENOTDIR),
    E(EISDIR),
    E(EINVAL),
    E(ENFILE),
    E(EMFILE),
    E(ENOTTY),
    E(ETXTBSY),
    E(EFBIG),
    E(ENOSPC),
    E(ESPIPE),
    E(EROFS),
    E(EMLINK),
    E(EPIPE),
    E(EDOM),
    E(ERANGE),
    E(EDEADLK),
    E(ENAMETOOLONG),
    E(ENOLCK),
    E(ENOSYS),
    E(ENOTEMPTY),
    E(ELOOP),
    E(EWOULDBLOCK),
    E(ENOMSG),
    E(EIDRM),
    E(ECHRNG),
    E(EL2NSYNC),
    E(EL3HLT),
    E(EL3RST),
    E(ELNRNG),
    E(EUNATCH),
    E(ENOCSI),
    E(EL2HLT),
    E(EBADE),
    E(EBADR),
    E(EXFULL),
    E(ENOANO),
    E(EBADRQC),
    E(EBADSLT),
    E(EDEADLOCK),
    E(EBFONT),
    E(ENOSTR),
    E(ENODATA),
    E(ETIME),
    E(ENOSR),
    E(ENONET),
    E(ENOPKG),
    E(EREMOTE),
    E(ENOLINK),
    E(EADV),
    E(ESRMNT),
    E(ECOMM),
    E(EPROTO),
    E(EMULTIHOP),
    E(EDOTDOT),
    E(EBADMSG),
    E(EOVERFLOW),
    E(ENOTUNIQ),
    E(EBADFD),
    E(EREMCHG),
    E(ELIBACC),
    E(ELIBBAD),
    E(ELIBSCN),
    E(ELIBMAX),
    E(ELIBEXEC),
    E(EILSEQ),
    E(ERESTART),
    E(ESTRPIPE),
    E(EUSERS),
    E(ENOTSOCK),
    E(EDESTADDRREQ),
    E(EMSGSIZE),
    E(EPROTOTYPE),
    E(ENOPROTOOPT),
    E(EPROTONOSUPPORT),
    E(ESOCKTNOSUPPORT),
    E(EOPNOTSUPP),
    E(EPFNOSUPPORT),
    E(EAFNOSUPPORT),
    E(EADDRINUSE),
    E(EADDRNOTAVAIL),
    E(ENETDOWN),
    E(ENETUNREACH),
    E(ENETRESET),
    E(ECONNABORTED),
    E(ECONNRESET),
    E(ENOBUFS),
    E(EISCONN),
    E(ENOTCONN),
    E(ESHUTDOWN),
    E(ETOOMANYREFS),
    E(ETIMEDOUT),
    E(ECONNREFUSED),
    E(EHOSTDOWN),
    E(EHOSTUNREACH),
    E(EALREADY),
    E(EINPROGRESS),
    E(ESTALE),
    E(EUCLEAN),
    E(ENOTNAM),
    E(ENAVAIL),
    E(EISNAM),
    E(EREMOTEIO),
    E(EDQUOT),
    E(ENOMEDIUM),
    E(EMEDIUMTYPE),
    E(ECANCELED),
    E(ENOKEY),
    E(EKEYEXPIRED),
    E(EKEYREVOKED),
    E(EKEYREJECTED),
    E(EOWNERDEAD),
    E(ENOTRECOVERABLE),
    E(ERFKILL),
    E(EHWPOISON),
    E(ENOTSUP),
};
#undef E

}  // namespace

std::optional<unsigned> capabilityNumber(const std::string& name) {
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const auto& [n, v] : kCapabilities) {
    if (upper == n) {
      return v;
    }
  }
  return std::nullopt;
}

std::string capabilityName(unsigned number) {
  for (const auto& [n, v] : kCapabilities) {
    if (v == number) {
      return n;
    }
  }
  return {};
}

std::optional<int> errnoNumber(const std::string& name) {
  for (const auto& [n, v] : kErrnos) {
    if (name == n) {
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace rkt::nspawn
