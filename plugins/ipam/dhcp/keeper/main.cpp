// dhcp-keeper: keeps one DHCP lease for the life of a pod (plugins/ipam/dhcp/README.md). Started
// by the dhcp IPAM plugin at ADD with the request as argv[1] and three descriptors: 3, where it
// reports the first lease (`R<CNI result>`) or why there is none (`E<message>`); 4, the pod's
// network namespace, which it enters and so keeps; 5, the plugin's state directory, where it
// keeps `<network>/<container id>+<ifname>.json` up to date. It detaches (a new session, its
// parent exits), renews at T1, rebinds at T2, takes the interface down when the lease expires,
// and on SIGTERM (the plugin's DEL) releases the lease and exits.
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <poll.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "dhcp_config.hpp"
#include "dhcp_exchange.hpp"
#include "keeper_files.hpp"
#include "lease.hpp"
#include "rkt/support/cni/netlink.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace pc = rkt::protocol::cni;
using namespace rkt::dhcp;

namespace {

constexpr int kReportFd = 3;
constexpr int kNetnsFd = 4;
constexpr int kStateDirFd = 5;

void log(const std::string& line) {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  std::fprintf(stderr, "%s %s\n", stamp, line.c_str());
  std::fflush(stderr);
}

long long nowSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_BOOTTIME, &ts);
  return ts.tv_sec;
}

void report(char kind, const std::string& text) {
  static bool done = false;
  if (!done) {
    const std::string msg = kind + text;
    (void)rkt::posix::writeAll(kReportFd, msg);
    ::close(kReportFd);
    done = true;
  }
}

std::array<std::uint8_t, 6> parseMac(const std::string& text) {
  std::array<std::uint8_t, 6> mac{};
  unsigned b[6] = {};
  if (std::sscanf(text.c_str(), "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) ==
      6) {
    for (int i = 0; i < 6; ++i) {
      mac[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(b[i]);
    }
  }
  return mac;
}

void linkDown(const std::string& ifName) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq req{};
  std::strncpy(req.ifr_name, ifName.c_str(), IFNAMSIZ - 1);
  if (fd >= 0 && ::ioctl(fd, SIOCGIFFLAGS, &req) == 0) {
    req.ifr_flags = static_cast<short>(req.ifr_flags & ~IFF_UP);
    (void)::ioctl(fd, SIOCSIFFLAGS, &req);
  }
  if (fd >= 0) {
    ::close(fd);
  }
}

class Keeper {
 public:
  Keeper(const pc::Request& request, const Config& config, int stopFd)
      : request_(request), config_(config), stopFd_(stopFd), name_(stateFileName(config)) {
    state_.clientId = config.clientId;
    state_.containerId = config.containerId;
    state_.network = config.network;
    state_.ifName = config.ifName;
    state_.pid = ::getpid();
    state_.startTime = processStartTime(state_.pid);
  }

  int run() {
    save("acquiring");
    rkt::cni::Netlink nl;
    if (nl.linkIndex(config_.ifName) == 0) {
      return fail("error looking up \"" + config_.ifName + "\": link not found");
    }
    nl.linkUp(config_.ifName);  // the reference brings a down link up ("Link … down")
    state_.mac = nl.linkMac(config_.ifName);
    mac_ = parseMac(state_.mac);
    log(config_.clientId + ": acquiring lease on " + config_.ifName + " (" + state_.mac + ")");
    try {
      if (!acquireWithBackoff()) {
        return fail("no more tries");
      }
    } catch (const Stopped&) {
      save("released");
      return 0;
    }
    report('R', rkt::protocol::encode(lease_.result(request_.cniVersion)));
    return maintain();
  }

 private:
  int fail(const std::string& why) {
    log(config_.clientId + ": " + why);
    save("failed");
    report('E', why);
    return 1;
  }

  void save(const std::string& phase) {
    state_.phase = phase;
    try {
      writeState(kStateDirFd, name_, state_);
    } catch (const std::exception& e) {
      log(e.what());
    }
  }

  void commit(const Lease& lease) {
    lease_ = lease;
    const long long now = nowSeconds();
    renewAt_ = now + lease.renewSeconds;
    rebindAt_ = now + lease.rebindSeconds;
    expireAt_ = now + lease.leaseSeconds;
    state_.address = ipText(lease.address);
    state_.serverId = ipText(lease.serverId);
    state_.expires = static_cast<std::int64_t>(std::time(nullptr)) + lease.leaseSeconds;
    state_.result = rkt::protocol::encode(lease.result(request_.cniVersion));
    save("bound");
    log(config_.clientId + ": lease " + state_.address + " from " + state_.serverId + " for " +
        std::to_string(lease.leaseSeconds) + "s (renew after " +
        std::to_string(lease.renewSeconds) + "s)");
  }

  // Throws Stopped when told to stop in between.
  bool acquireWithBackoff() {
    Backoff backoff(config_.resendMaxSeconds);
    for (;;) {
      try {
        Exchange ex(config_, mac_, stopFd_);
        commit(ex.acquire());
        return true;
      } catch (const Stopped&) {
        throw;
      } catch (const std::exception& e) {
        log(config_.clientId + ": " + e.what());
      }
      const auto delay = backoff.nextDelayMs();
      if (!delay) {
        return false;
      }
      if (waitStop(*delay)) {
        throw Stopped();
      }
    }
  }

  /// Waits up to `ms`; true when SIGTERM (or SIGINT) came.
  bool waitStop(long long ms) {
    pollfd p{stopFd_, POLLIN, 0};
    while (ms > 0) {
      const int chunk = static_cast<int>(std::min<long long>(ms, 60000));
      const long long before = nowSeconds();
      const int r = ::poll(&p, 1, chunk);
      if (r > 0) {
        return true;
      }
      ms -= r == 0 ? chunk : (nowSeconds() - before) * 1000;
      if (::if_nametoindex(config_.ifName.c_str()) == 0) {
        return false;  // maintain() notices
      }
    }
    return false;
  }

  void releaseLease() {
    try {
      Exchange ex(config_, mac_, -1);
      ex.release(lease_.address, lease_.serverId);
      log(config_.clientId + ": released " + state_.address);
    } catch (const std::exception& e) {
      log(config_.clientId + ": failed to release DHCP lease: " + e.what());
    }
    save("released");
  }

  int maintain() {
    for (;;) {
      if (::if_nametoindex(config_.ifName.c_str()) == 0) {
        log(config_.clientId + ": " + config_.ifName + " is gone, stopping");
        save("gone");
        return 0;
      }
      const long long now = nowSeconds();
      try {
        if (now < renewAt_) {
          if (waitStop((renewAt_ - now) * 1000)) {
            releaseLease();
            return 0;
          }
          continue;
        }
        if (now >= expireAt_) {
          log(config_.clientId + ": lease expired, bringing interface DOWN");
          linkDown(config_.ifName);
          save("expired");
          return 0;
        }
        const bool rebinding = now >= rebindAt_;
        save(rebinding ? "rebinding" : "renewing");
        try {
          Exchange ex(config_, mac_, stopFd_);
          commit(rebinding ? ex.acquire() : ex.renew(lease_));
          ++state_.renewals;
          save("bound");
          continue;
        } catch (const Stopped&) {
          throw;
        } catch (const std::exception& e) {
          log(config_.clientId + ": " + (rebinding ? "rebinding: " : "renewing: ") + e.what());
        }
        // RFC 2131 §4.4.5: retry after half the time left to the next deadline, here at least 5 s.
        const long long next = rebinding ? expireAt_ : rebindAt_;
        if (waitStop(std::max<long long>(5, (next - nowSeconds()) / 2) * 1000)) {
          releaseLease();
          return 0;
        }
      } catch (const Stopped&) {
        releaseLease();
        return 0;
      }
    }
  }

  const pc::Request& request_;
  const Config& config_;
  int stopFd_;
  std::string name_;
  KeeperState state_;
  std::array<std::uint8_t, 6> mac_{};
  Lease lease_;
  long long renewAt_ = 0;
  long long rebindAt_ = 0;
  long long expireAt_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "dhcp-keeper is started by the dhcp IPAM plugin of rkt\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  // Detach: the plugin reaps this process at once; the keeper lives on in its own session.
  const pid_t child = ::fork();
  if (child < 0) {
    report('E', "cannot start the DHCP lease keeper: fork failed");
    return 1;
  }
  if (child > 0) {
    return 0;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &stop, nullptr);
  const int stopFd = ::signalfd(-1, &stop, SFD_CLOEXEC);
  if (::setns(kNetnsFd, CLONE_NEWNET) != 0) {
    report('E', "cannot enter the container's network namespace");
    return 1;
  }
  ::close(kNetnsFd);
  (void)::chdir("/");
  try {
    const auto request = rkt::protocol::decode<pc::Request>(argv[1]);
    const Config config = parseConfig(request);
    return Keeper(request, config, stopFd).run();
  } catch (const std::exception& e) {
    log(e.what());
    report('E', e.what());
    return 1;
  }
}
