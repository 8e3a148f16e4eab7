// What the net plugins' side-by-side tests share (plugins/net/{bridge,macvlan,ipvlan}/tests):
// scratch network namespaces made by the test (a "host" the calling thread moves into, and
// containers), our plugin run in-process through the core's CniRunner, the reference binary
// (/usr/lib/cni/<type>, Debian containernetworking-plugins) run through the CNI exec protocol
// in the same kind of namespaces, and both results and network states normalised (random veth
// names, MACs, netns paths) by netstate.py so they compare equal when the behaviour is.
#ifndef RKT_TESTS_UNIT_SUPPORT_CNI_SIDE_BY_SIDE_HPP
#define RKT_TESTS_UNIT_SUPPORT_CNI_SIDE_BY_SIDE_HPP

#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "rkt/core/net/cni_runner.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/support/posix/remove_tree.hpp"

namespace rkt::test::cni {

namespace pc = rkt::protocol::cni;

inline int openNetns() {
  return ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
}

/// Output (stdout and stderr) of a shell command run in the calling thread's netns; `status`
/// gets its exit status.
inline std::string sh(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  std::array<char, 512> buf{};
  while (p != nullptr && std::fgets(buf.data(), buf.size(), p) != nullptr) {
    out += buf.data();
  }
  const int rc = p != nullptr ? ::pclose(p) : -1;
  if (status != nullptr) {
    *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  return out;
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

/// The whole content of the file at `path` (empty when it cannot be read).
inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// An outcome of either implementation: success and the result (or error object) JSON.
struct Outcome {
  bool ok = false;
  std::string output;
};

/// JSON without the white space between tokens (the reference indents its results).
inline std::string compact(const std::string& json) {
  std::string out;
  bool inString = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (inString) {
      out += c;
      if (c == '\\' && i + 1 < json.size()) {
        out += json[++i];
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
      out += c;
    } else if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
      out += c;
    }
  }
  return out;
}

/// Replaces veth names, MACs and netns paths by their order of appearance (compact JSON).
inline std::string normalise(const std::string& json) {
  const std::string text = compact(json);
  static const std::regex random(
      R"(veth[0-9a-f]{8}|([0-9a-f]{2}:){5}[0-9a-f]{2}|/proc/[0-9]+/fd/[0-9]+)");
  std::map<std::string, std::string> seen;
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), random), end; it != end; ++it) {
    out.append(last, text.cbegin() + it->position());
    const std::string token = it->str();
    auto [pos, fresh] = seen.emplace(token, "");
    if (fresh) {
      pos->second = (token[0] == 'v'   ? "veth#"
                     : token[0] == '/' ? "netns#"
                                       : "mac#") +
                    std::to_string(seen.size());
    }
    out += pos->second;
    last = text.cbegin() + it->position() + it->length();
  }
  out.append(last, text.cend());
  return out;
}

/// The world every in-process net plugin test (ptp, flannel, dhcp and the side-by-side ones)
/// runs in, kept in one place so they all set it up and tear it down the same way: the
/// original netns (returned to on destruction, which frees the scratch namespaces with their
/// last descriptor), a scratch directory, and the core's CniRunner over the build tree's
/// plugins (ownership not checked: the build tree is not root's).
class ScratchNetworks {
 public:
  /// `prefix` names the scratch directory, /tmp/<prefix>.XXXXXX.
  explicit ScratchNetworks(const std::string& prefix) : orig_(openNetns()) {
    std::string tmpl = "/tmp/" + prefix + ".XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl.data()) != nullptr);
    dir_ = tmpl;
    options_.checkOwnership = false;
    registry_ = std::make_unique<rkt::plugin::PluginRegistry>(
        std::vector<std::string>{RKT_PLUGIN_BUILD_DIR}, options_);
    runner_ = std::make_unique<rkt::net::CniRunner>(*registry_, dir_ + "/state");
  }
  ~ScratchNetworks() {
    closeAll();
    ::setns(orig_, CLONE_NEWNET);  // the scratch namespaces go with their last descriptor
    ::close(orig_);
    if (!keepDir) {
      (void)rkt::posix::removeTree(dir_);
    }
  }
  ScratchNetworks(const ScratchNetworks&) = delete;
  ScratchNetworks& operator=(const ScratchNetworks&) = delete;

  /// A fresh scratch host (entered) and `containers` container namespaces, made from the
  /// original netns; the previous ones are dropped.
  void fresh(int containers = 1) {
    closeAll();
    CPPUNIT_ASSERT(::setns(orig_, CLONE_NEWNET) == 0);
    CPPUNIT_ASSERT(::unshare(CLONE_NEWNET) == 0);
    host_ = openNetns();
    for (int i = 0; i < containers; ++i) {
      CPPUNIT_ASSERT(::unshare(CLONE_NEWNET) == 0);
      ctrs_.push_back(openNetns());
    }
    CPPUNIT_ASSERT(::setns(host_, CLONE_NEWNET) == 0);
  }
  /// One more namespace besides the containers (e.g. dhcp's server); the host stays entered.
  int extra() {
    CPPUNIT_ASSERT(::unshare(CLONE_NEWNET) == 0);
    extras_.push_back(openNetns());
    CPPUNIT_ASSERT(::setns(host_, CLONE_NEWNET) == 0);
    return extras_.back();
  }
  int ctr(int i = 0) const { return ctrs_.at(static_cast<std::size_t>(i)); }
  int host() const { return host_; }
  std::string netnsPath(int fd) const {
    return "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fd);
  }
  const std::string& dir() const { return dir_; }
  rkt::net::CniRunner& runner() { return *runner_; }
  bool keepDir = false;  ///< leave the scratch directory behind (to look at after a failure)

 private:
  void closeAll() {
    for (int fd : ctrs_) {
      ::close(fd);
    }
    ctrs_.clear();
    for (int fd : extras_) {
      ::close(fd);
    }
    extras_.clear();
    if (host_ >= 0) {
      ::close(host_);
      host_ = -1;
    }
  }

  int orig_ = -1;
  int host_ = -1;
  std::vector<int> ctrs_;
  std::vector<int> extras_;
  std::string dir_;
  rkt::plugin::LoaderOptions options_{};
  std::unique_ptr<rkt::plugin::PluginRegistry> registry_;
  std::unique_ptr<rkt::net::CniRunner> runner_;
};

/// Scratch namespaces, our plugins and the reference binaries. The calling thread lives in
/// the current scratch host netns between calls.
class SideBySide : public ScratchNetworks {
 public:
  SideBySide() : ScratchNetworks("rkt-net-sbs") {}

  /// A fresh scratch host (entered, with lo up) and `containers` container namespaces.
  void fresh(int containers = 1) {
    ScratchNetworks::fresh(containers);
    sh("ip link set lo up");
  }
  int runs = 0;  ///< runOnce's counter, for fresh data directories

  /// A command run in the namespace `fd`.
  std::string in(int fd, const std::string& cmd) const {
    return sh("nsenter --net=" + netnsPath(fd) + " " + cmd);
  }
  /// The normalised state (netstate.py) of the namespace `fd`.
  std::string state(int fd) const {
    return in(fd, "python3 " RKT_SOURCE_DIR "/tests/unit/support/cni/netstate.py");
  }

  pc::Request request(const std::string& conf, const std::string& id, int ctrIndex = 0,
                      const std::string& ifName = "eth0", const std::string& args = "") const {
    pc::Request r;
    r.cniVersion = "1.0.0";
    static const std::regex name(R"rx("name"\s*:\s*"([^"]*)")rx");
    std::smatch m;
    r.name = std::regex_search(conf, m, name) ? m[1].str() : "";
    r.containerId = id;
    r.ifName = ifName;
    r.args = args;
    r.netns = netnsPath(ctr(ctrIndex));
    r.config.text = conf;
    return r;
  }

  /// Our plugin, in-process. `prev` becomes prevResult.
  Outcome ours(rkt_cni_command command, pc::Request r, const std::string& prev = "",
               bool withNetns = true) {
    r.prevResult.text = prev;
    const int fd = withNetns ? openByPath(r.netns) : -1;
    const auto out = runner().run(RKT_KIND_NET, command, r, fd);
    if (fd >= 0) {
      ::close(fd);
    }
    return {out.ok, out.ok ? out.result : rkt::protocol::encode(out.error)};
  }

  /// The reference binary of the config's type through the CNI exec protocol.
  Outcome theirs(const std::string& type, const std::string& command, const pc::Request& r,
                 const std::string& prev = "") const {
    std::string conf = r.config.text;
    if (!prev.empty()) {
      conf = conf.substr(0, conf.rfind('}')) + ",\"prevResult\":" + prev + "}";
    }
    const std::string file = dir() + "/stdin.json";
    FILE* f = std::fopen(file.c_str(), "w");
    std::fputs(conf.c_str(), f);
    std::fclose(f);
    int status = 0;
    const std::string out = sh("env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND=" + command +
                                   " CNI_CONTAINERID=" + r.containerId + " CNI_NETNS=" + r.netns +
                                   " CNI_IFNAME=" + r.ifName + " CNI_PATH=/usr/lib/cni CNI_ARGS='" +
                                   r.args + "' /usr/lib/cni/" + type + " < " + file,
                               &status);
    return {status == 0, out};
  }

  /// Whether the Debian reference binary is here; says so loudly when it is not.
  static bool haveReference(const std::string& type, const char* test) {
    if (exists("/usr/lib/cni/" + type)) {
      return true;
    }
    std::fprintf(
        stderr, "\nSKIP %s: /usr/lib/cni/%s missing (Debian package containernetworking-plugins)\n",
        test, type.c_str());
    return false;
  }

 private:
  static int openByPath(const std::string& path) {
    return ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  }
};

/// A master for macvlan and ipvlan in the scratch host: veth `cnim0` (this kernel has no dummy
/// links, cni-notes §4.6), up, with `address` and the default route through it.
inline void addMaster(const std::string& address, const std::string& gateway) {
  sh("ip link add cnim0 type veth peer name cnim0p && ip link set cnim0p up && "
     "ip link set cnim0 up && ip addr add " +
     address +
     " dev cnim0 && "
     "ip route add default via " +
     gateway + " dev cnim0");
}

/// Everything one implementation did to one configuration: ADD's result, the host's and the
/// container's states after ADD, CHECK's outcome, the states after DEL, and a second DEL.
struct Run {
  Outcome add, check, del, delAgain;
  std::string hostAfterAdd, ctrAfterAdd, hostAfterDel, ctrAfterDel;
};

/// What a case prepares in its fresh namespaces before ADD (e.g. a bridge with an address).
using Setup = std::function<void(SideBySide&)>;

/// Runs ADD, CHECK, DEL, DEL with our plugin (`ours`) or the reference binary on fresh
/// namespaces, after `setup`. `@DATA@` in `conf` becomes a data directory of this run (so both
/// implementations allocate the same addresses).
inline Run runOnce(SideBySide& s, bool ours, const std::string& type, std::string conf,
                   const std::string& args, const Setup& setup) {
  s.fresh();
  if (setup) {
    setup(s);
  }
  const std::string data = s.dir() + (ours ? "/ours-" : "/theirs-") + std::to_string(++s.runs);
  for (auto at = conf.find("@DATA@"); at != std::string::npos; at = conf.find("@DATA@")) {
    conf.replace(at, 6, data);
  }
  const pc::Request r = s.request(conf, "sbs-ctr", 0, "eth0", args);
  auto call = [&](rkt_cni_command c, const char* name, const std::string& prev) {
    return ours ? s.ours(c, r, prev) : s.theirs(type, name, r, prev);
  };
  Run run;
  run.add = call(RKT_CNI_ADD, "ADD", "");
  run.hostAfterAdd = s.state(s.host());
  run.ctrAfterAdd = s.state(s.ctr());
  if (run.add.ok) {
    run.check = call(RKT_CNI_CHECK, "CHECK", run.add.output);
  }
  run.del = call(RKT_CNI_DEL, "DEL", run.add.ok ? run.add.output : "");
  run.hostAfterDel = s.state(s.host());
  run.ctrAfterDel = s.state(s.ctr());
  run.delAgain = call(RKT_CNI_DEL, "DEL", "");
  return run;
}

/// Where ours differs from the reference on purpose (documented in the plugin's README).
struct Differences {
  bool check = false;      ///< the CHECK outcome (a reference bug)
  bool failedAdd = false;  ///< the state after a failed ADD (we roll back, the reference not)
  bool del = false;        ///< DEL's outcome (ours succeeds where the master is gone or invalid)
};

/// Both implementations on `conf`; asserts the same outcomes and states (normalised).
inline Run compareWithReference(SideBySide& s, const std::string& type, const std::string& conf,
                                const std::string& args = "", const Setup& setup = {},
                                Differences differs = {}) {
  const Run mine = runOnce(s, true, type, conf, args, setup);
  const Run ref = runOnce(s, false, type, conf, args, setup);
  const std::string what = "\n" + conf + "\n";
  CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "ADD ok: " + ref.add.output + " / " + mine.add.output,
                               ref.add.ok, mine.add.ok);
  if (ref.add.ok) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "ADD result", normalise(ref.add.output),
                                 normalise(mine.add.output));
  }
  if (ref.add.ok || !differs.failedAdd) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "host after ADD", ref.hostAfterAdd, mine.hostAfterAdd);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "container after ADD", ref.ctrAfterAdd, mine.ctrAfterAdd);
  }
  if (!differs.check) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "CHECK: " + ref.check.output + " / " + mine.check.output,
                                 ref.check.ok, mine.check.ok);
  }
  if (!differs.del) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "DEL: " + ref.del.output + " / " + mine.del.output,
                                 ref.del.ok, mine.del.ok);
  }
  CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "host after DEL", ref.hostAfterDel, mine.hostAfterDel);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "container after DEL", ref.ctrAfterDel, mine.ctrAfterDel);
  if (!differs.del) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + "DEL again: " + mine.delAgain.output, ref.delAgain.ok,
                                 mine.delAgain.ok);
  }
  return mine;
}

}  // namespace rkt::test::cni

#endif  // RKT_TESTS_UNIT_SUPPORT_CNI_SIDE_BY_SIDE_HPP
