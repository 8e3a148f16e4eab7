#include "dhcp.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "dhcp_config.hpp"
#include "keeper_files.hpp"
#include "keeper_process.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::dhcp {

namespace pc = protocol::cni;

namespace {

[[noreturn]] void fail(const std::string& msg) {
  throw pc::Failure(pc::kInternal, msg);
}

// The plugin's state directory, and in it the network's, as descriptors.
posix::UniqueFd openStateDir(const sdk::NetContext& ctx, const std::string& network) {
  const std::string dir = ctx.stateDir();
  if (dir.empty()) {
    fail("dhcp: the host gave no state directory");
  }
  posix::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    fail("cannot open the dhcp state directory `" + dir + "`: " + posix::errnoText(errno));
  }
  if (::mkdirat(fd.get(), network.c_str(), 0700) != 0 && errno != EEXIST) {
    fail("cannot create `" + dir + "/" + network + "`: " + posix::errnoText(errno));
  }
  return fd;
}

bool holds(const KeeperState& s) {
  return keeperAlive(s) && (s.phase == "bound" || s.phase == "renewing" || s.phase == "rebinding");
}

}  // namespace

pc::Result Dhcp::add(const sdk::NetContext& ctx, const pc::Request& r) {
  const Config config = parseConfig(r);
  if (ctx.containerNetns() < 0) {
    throw pc::Failure(pc::kInvalidEnvironment, "required env variables [CNI_NETNS] missing");
  }
  const posix::UniqueFd dir = openStateDir(ctx, config.network);
  const std::string name = stateFileName(config);
  // A lease this attachment already holds is the answer (ADD twice); anything else left over
  // (a keeper that failed or died) is cleaned up first.
  if (auto s = readState(dir.get(), name)) {
    if (holds(*s) && !s->result.empty()) {
      auto result = protocol::decode<pc::Result>(s->result);
      result.cniVersion = r.cniVersion;
      return result;
    }
    stopKeeper(config, dir.get(), name, ctx.containerNetns(), ctx.hostNetns());
  }
  const std::string result =
      startKeeper(r, config, ctx.containerNetns(), dir.get(), ctx.stateDir());
  return protocol::decode<pc::Result>(result);
}

void Dhcp::del(const sdk::NetContext& ctx, const pc::Request& r) {
  const Config config = parseConfig(r);
  const posix::UniqueFd dir = openStateDir(ctx, config.network);
  stopKeeper(config, dir.get(), stateFileName(config), ctx.containerNetns(), ctx.hostNetns());
}

void Dhcp::check(const sdk::NetContext& ctx, const pc::Request& r) {
  const Config config = parseConfig(r);
  const posix::UniqueFd dir = openStateDir(ctx, config.network);
  const auto s = readState(dir.get(), stateFileName(config));
  if (!s) {
    fail("dhcp: no lease for `" + config.clientId + "`");
  }
  if (!holds(*s)) {
    fail("dhcp: the lease of `" + config.clientId + "` is not kept (" +
         (keeperAlive(*s) ? s->phase : std::string("its keeper exited")) + ")");
  }
}

void Dhcp::gc(const sdk::NetContext& ctx, const pc::Request& r) {
  Config config = parseConfig(r);
  const posix::UniqueFd dir = openStateDir(ctx, config.network);
  posix::UniqueFd netDir(
      ::openat(dir.get(), config.network.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  DIR* d = netDir.valid() ? ::fdopendir(netDir.release()) : nullptr;
  if (d == nullptr) {
    return;
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0) {
      names.push_back(config.network + "/" + n);
    }
  }
  ::closedir(d);
  for (const std::string& name : names) {
    std::optional<KeeperState> s;
    try {
      s = readState(dir.get(), name);
    } catch (const std::exception&) {
    }
    bool valid = false;
    for (const pc::Attachment& a : r.validAttachments) {
      valid = valid || (s && a.containerId == s->containerId && a.ifName == s->ifName);
    }
    if (!valid) {
      if (s) {
        config.clientId = s->clientId;
        config.containerId = s->containerId;
        config.ifName = s->ifName;
      }
      stopKeeper(config, dir.get(), name, -1, ctx.hostNetns());
    }
  }
}

}  // namespace rkt::dhcp
