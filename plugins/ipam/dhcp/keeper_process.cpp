#include "keeper_process.hpp"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include "dhcp_exchange.hpp"
#include "keeper_files.hpp"
#include "rkt/sdk/plugin.hpp"
#include "rkt/support/cni/netns.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/unique_fd.hpp"

extern char** environ;

namespace rkt::dhcp {

namespace pc = protocol::cni;

namespace {

constexpr char kKeeperRelPath[] = "ipam-dhcp/dhcp-keeper";

[[noreturn]] void fail(const std::string& msg) {
  throw pc::Failure(pc::kInternal, msg);
}

std::string dirOf(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

long long nowMs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

// A copy above the descriptors the keeper gets, so posix_spawn's dup2 always clears CLOEXEC.
posix::UniqueFd highCopy(int fd) {
  posix::UniqueFd copy(::fcntl(fd, F_DUPFD_CLOEXEC, 10));
  if (!copy.valid()) {
    fail("cannot start the DHCP lease keeper: " + posix::errnoText(errno));
  }
  return copy;
}

std::optional<Ipv4> parseIp(const std::string& text) {
  Ipv4 ip{};
  if (::inet_pton(AF_INET, text.c_str(), ip.data()) != 1) {
    return std::nullopt;
  }
  return ip;
}

// The keeper is gone: the plugin releases from the container's namespace when it still can.
void releaseForDeadKeeper(const Config& config, const KeeperState& s, int netnsFd,
                          int hostNetnsFd) {
  const bool held = s.phase == "bound" || s.phase == "renewing" || s.phase == "rebinding";
  const auto address = parseIp(s.address);
  const auto server = parseIp(s.serverId);
  if (!held || !address || !server || netnsFd < 0) {
    return;
  }
  std::array<std::uint8_t, 6> mac{};
  unsigned b[6] = {};
  if (std::sscanf(s.mac.c_str(), "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) !=
      6) {
    return;
  }
  for (std::size_t i = 0; i < 6; ++i) {
    mac[i] = static_cast<std::uint8_t>(b[i]);
  }
  try {
    cni::NetnsScope in(netnsFd, hostNetnsFd);
    Exchange(config, mac, -1).release(*address, *server);
  } catch (const std::exception& e) {
    sdk::log(RKT_LOG_WARNING,
             "dhcp: cannot release " + s.address + " of `" + s.clientId + "`: " + e.what());
  }
}

}  // namespace

std::string keeperPath() {
  Dl_info info{};
  std::string self;
  if (::dladdr(reinterpret_cast<void*>(&keeperPath), &info) != 0 && info.dli_fname != nullptr) {
    self = info.dli_fname;
  }
  std::string candidate = dirOf(self) + "/" + kKeeperRelPath;
  if (::access(candidate.c_str(), X_OK) != 0) {
    char real[PATH_MAX];
    if (::realpath(self.c_str(), real) != nullptr) {
      candidate = dirOf(real) + "/" + kKeeperRelPath;
    }
  }
  if (::access(candidate.c_str(), X_OK) != 0) {
    fail("cannot find the DHCP lease keeper `" + candidate + "`: " + posix::errnoText(errno));
  }
  return candidate;
}

bool keeperAlive(const KeeperState& s) {
  return s.pid > 0 && s.startTime != 0 && processStartTime(s.pid) == s.startTime;
}

std::string startKeeper(const pc::Request& request, const Config& config, int netnsFd,
                        int stateDirFd, const std::string& stateDir) {
  const std::string path = keeperPath();
  const std::string name = stateFileName(config);
  const std::string logPath = stateDir + "/" + logFileName(name);
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
    fail("cannot start the DHCP lease keeper: " + posix::errnoText(errno));
  }
  posix::UniqueFd readEnd(pipeFds[0]);
  posix::UniqueFd writeEnd(pipeFds[1]);
  posix::UniqueFd w = highCopy(writeEnd.get());
  posix::UniqueFd ns = highCopy(netnsFd);
  posix::UniqueFd dir = highCopy(stateDirFd);
  writeEnd.reset();

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawnattr_init(&attr);
  ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, 2, logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0600);
  ::posix_spawn_file_actions_adddup2(&actions, w.get(), 3);
  ::posix_spawn_file_actions_adddup2(&actions, ns.get(), 4);
  ::posix_spawn_file_actions_adddup2(&actions, dir.get(), 5);
  // Nothing else of rkt's: above all not the pod's lock, which would keep the pod "running".
  ::posix_spawn_file_actions_addclosefrom_np(&actions, 6);
  sigset_t none;
  sigset_t defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD}) {
    sigaddset(&defaults, sig);
  }
  ::posix_spawnattr_setsigmask(&attr, &none);
  ::posix_spawnattr_setsigdefault(&attr, &defaults);
  ::posix_spawnattr_setflags(&attr, static_cast<short>(POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                                       POSIX_SPAWN_SETSIGDEF));
  const std::string json = protocol::encode(request);
  std::vector<char*> argv = {const_cast<char*>(path.c_str()), const_cast<char*>(json.c_str()),
                             nullptr};
  pid_t pid = 0;
  const int err = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attr);
  if (err != 0) {
    fail("cannot start the DHCP lease keeper `" + path + "`: " + posix::errnoText(err));
  }
  // Only the keeper may hold the write end: its report ends when it closes it.
  w.reset();
  ns.reset();
  dir.reset();
  // The spawned process forks the keeper and exits at once.
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string report;
  const long long deadline = nowMs() + 600 * 1000LL;  // its own tries end well before
  char buf[4096];
  for (;;) {
    pollfd p{readEnd.get(), POLLIN, 0};
    const long long left = deadline - nowMs();
    if (left <= 0) {
      fail("the DHCP lease keeper of `" + config.clientId + "` did not answer");
    }
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r < 0 && errno != EINTR) {
      fail("cannot read the DHCP lease keeper's answer: " + posix::errnoText(errno));
    }
    if (r <= 0) {
      continue;
    }
    const ssize_t n = ::read(readEnd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    report.append(buf, static_cast<std::size_t>(n));
  }
  if (report.empty() || report[0] != 'R') {
    // It wrote its last state before reporting and exits: nothing is left to stop.
    removeStateFiles(stateDirFd, name);
    fail(report.empty() ? "the DHCP lease keeper of `" + config.clientId + "` exited"
                        : "error calling DHCP.Allocate: " + report.substr(1));
  }
  return report.substr(1);
}

void stopKeeper(const Config& config, int stateDirFd, const std::string& name, int netnsFd,
                int hostNetnsFd) {
  std::optional<KeeperState> s;
  try {
    s = readState(stateDirFd, name);
  } catch (const std::exception& e) {
    sdk::log(RKT_LOG_WARNING, std::string("dhcp: ") + e.what() + "; removing it");
  }
  if (s && keeperAlive(*s)) {
    ::kill(static_cast<pid_t>(s->pid), SIGTERM);
    // It sends one RELEASE and exits; a keeper stuck past its own timeout is killed.
    const long long deadline = nowMs() + (config.timeoutSeconds + 5) * 1000LL;
    while (keeperAlive(*s) && nowMs() < deadline) {
      ::usleep(10 * 1000);
    }
    if (keeperAlive(*s)) {
      ::kill(static_cast<pid_t>(s->pid), SIGKILL);
      for (int i = 0; i < 100 && keeperAlive(*s); ++i) {
        ::usleep(10 * 1000);
      }
    }
    if (auto after = readState(stateDirFd, name)) {
      s = after;
    }
  }
  if (s && !keeperAlive(*s)) {
    releaseForDeadKeeper(config, *s, netnsFd, hostNetnsFd);
  }
  removeStateFiles(stateDirFd, name);
}

}  // namespace rkt::dhcp
