#include "fly_harness.hpp"
#include "fly_test_util.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "rkt/core/pod/gc.hpp"
#include "rkt/support/archive/extract.hpp"
#include "rkt/support/posix/remove_tree.hpp"

namespace flytest {

namespace {

int gCounter = 0;

std::string next(const std::string& hint) {
  return hint + "-" + std::to_string(++gCounter);
}

std::string commandOutput(const std::string& command) {
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) {
    throw std::runtime_error("cannot run " + command);
  }
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    out.append(buf, n);
  }
  int status = ::pclose(p);
  if (status != 0) {
    throw std::runtime_error("`" + command + "` failed with status " + std::to_string(status));
  }
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

void sleepMs(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

Finished collect(int status, const std::string& outPath, const std::string& errPath) {
  Finished f;
  if (WIFEXITED(status)) {
    f.exitCode = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    f.signal = WTERMSIG(status);
  }
  f.out = readFile(outPath);
  f.err = readFile(errPath);
  return f;
}

// In a forked child: send stdout and stderr to the files.
void redirect(const std::string& outPath, const std::string& errPath) {
  int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) {
    ::_exit(250);
  }
}

}  // namespace

Fixture& fixture() {
  static Fixture f;
  return f;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const std::string& path, const std::string& data, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0 || ::write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  }
  ::fchmod(fd, mode);
  ::close(fd);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::string makeTempDir(const std::string& hint) {
  std::string dir = fixture().workRoot + "/" + next(hint);
  if (::mkdir(dir.c_str(), 0755) != 0) {
    throw std::runtime_error("cannot create " + dir + ": " + std::strerror(errno));
  }
  return dir;
}

std::string js(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

std::string jsArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    out += (i ? "," : "") + js(items[i]);
  }
  return out + "]";
}

bool setUpFixture(const std::string& sourceDir, const std::string& pluginDir, std::string& why) {
  if (::geteuid() != 0) {
    why = "needs root";
    return false;
  }
  if (::access("/bin/busybox", X_OK) != 0) {
    why = "needs /bin/busybox (busybox-static)";
    return false;
  }
  if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr)) {
    why = std::string("cannot create a private mount namespace: ") + std::strerror(errno);
    return false;
  }
  Fixture& f = fixture();
  std::string tmpl = "/tmp/rkt-fly-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    why = "mkdtemp failed";
    return false;
  }
  f.workRoot = tmpl;
  f.aciPath = f.workRoot + "/busybox.aci";
  f.imageId =
      trim(commandOutput("sh " + sourceDir + "/tests/fixtures/make-busybox-aci.sh " + f.aciPath));
  std::string imageDir = makeTempDir("image");
  rkt::archive::ExtractOptions only;
  only.prefix = "manifest";
  auto extracted = rkt::archive::extractTar(f.aciPath, imageDir, only);
  if (!extracted) {
    why = "cannot extract the fixture manifest: " + extracted.error().message;
    return false;
  }
  f.imageManifest = readFile(imageDir + "/manifest");
  f.client = new Stage1Client(pluginDir, "fly");
  return true;
}

void tearDownFixture() {
  reapEverything();
  Fixture& f = fixture();
  delete f.client;
  f.client = nullptr;
  if (!f.workRoot.empty()) {
    (void)rkt::pod::unmountAllUnder(f.workRoot);
    auto removed = rkt::posix::removeTree(f.workRoot);
    if (!removed) {
      std::cerr << "cannot remove " << f.workRoot << ": " << removed.error().message << "\n";
    }
  }
}

TestPod::TestPod(const PodOptions& options) : appName_(options.appName) {
  Fixture& f = fixture();
  dir_ = makeTempDir("pod");
  char uuid[64];
  std::snprintf(uuid, sizeof uuid, "6f1c3a2e-%04x-4000-8000-%012d", ::getpid() & 0xffff, gCounter);
  uuid_ = uuid;
  const std::string stage2 = "/stage1/rootfs/opt/stage2/" + appName_;
  for (const std::string& d : std::vector<std::string>{
           "/appsinfo", "/appsinfo/" + appName_, "/stage1", "/stage1/rootfs", "/stage1/rootfs/opt",
           "/stage1/rootfs/opt/stage2", stage2, stage2 + "/rootfs"}) {
    ::mkdir((dir_ + d).c_str(), 0755);
  }
  rkt::archive::ExtractOptions rootfsOnly;
  rootfsOnly.prefix = "rootfs";
  rootfsOnly.stripPrefix = true;
  auto extracted = rkt::archive::extractTar(f.aciPath, appRootfs(), rootfsOnly);
  if (!extracted) {
    throw std::runtime_error("cannot extract the fixture: " + extracted.error().message);
  }

  Poco::JSON::Object::Ptr image =
      Poco::JSON::Parser().parse(f.imageManifest).extract<Poco::JSON::Object::Ptr>();
  if (options.patchImageManifest) {
    options.patchImageManifest(*image);
  }
  std::ostringstream imageJson;
  image->stringify(imageJson);
  writeFile(dir_ + "/appsinfo/" + appName_ + "/manifest", imageJson.str());

  std::string app = "{\"name\":" + js(appName_) +
                    ",\"image\":{\"name\":\"example.com/busybox\",\"id\":" + js(f.imageId) +
                    ",\"labels\":[{\"name\":\"version\",\"value\":\"1.0.0\"},"
                    "{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":"
                    "\"amd64\"}]}";
  if (!options.appJson.empty()) {
    app += ",\"app\":" + options.appJson;
  }
  app += ",\"mounts\":" + options.mountsJson + "}";
  std::string apps = app;
  for (const std::string& more : options.moreApps) {
    apps += "," + more;
  }
  writeFile(dir_ + "/pod",
            "{\"acKind\":\"PodManifest\",\"acVersion\":\"1.30.0\",\"apps\":[" + apps +
                "],\"volumes\":" + options.volumesJson +
                ",\"annotations\":[{\"name\":\"coreos.com/rkt/stage1/mutable\","
                "\"value\":\"false\"}]}",
            0640);
}

TestPod::~TestPod() {
  auto unmounted = rkt::pod::unmountAllUnder(dir_);
  if (!unmounted) {
    std::cerr << "cannot unmount below " << dir_ << ": " << unmounted.error().message << "\n";
    return;  // never remove through a mount
  }
  auto removed = rkt::posix::removeTree(dir_);
  if (!removed) {
    std::cerr << "cannot remove " << dir_ << ": " << removed.error().message << "\n";
  }
}

RunningPod::RunningPod(const TestPod& pod, const RunOptions& options) {
  std::string base = fixture().workRoot + "/" + next("run");
  outPath_ = base + ".out";
  errPath_ = base + ".err";
  pid_ = ::fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    if (options.groupLeader) {
      ::setpgid(0, 0);
    }
    redirect(outPath_, errPath_);
    if (options.ownMountNamespace &&
        (::unshare(CLONE_NEWNS) != 0 ||
         ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)) {
      std::perror("unshare");
      ::_exit(251);
    }
    // What the core does before handing over: the pod directory fd, locked, inheritable.
    int lock = ::open(pod.dir().c_str(), O_RDONLY | O_DIRECTORY);
    if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
      std::perror("lock");
      ::_exit(252);
    }
    std::string request = "{\"pod_dir\":" + js(pod.dir()) + ",\"uuid\":" + js(pod.uuid()) +
                          ",\"lock_fd\":" + std::to_string(lock) +
                          ",\"debug\":false,\"net\":[\"default\"],\"interactive\":false";
    if (!options.dnsConfModeJson.empty()) {
      request += ",\"dns_conf_mode\":" + options.dnsConfModeJson;
    }
    request += "}";
    Outcome o = fixture().client->run(request);
    if (o.status != RKT_OK) {
      std::fprintf(stderr, "run: %s\n", o.message.c_str());
      std::fflush(stderr);
      ::_exit(254);
    }
    ::_exit(o.exitStatus);
  }
  if (options.groupLeader) {
    ::setpgid(pid_, pid_);
  }
}

RunningPod::~RunningPod() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
  }
}

bool RunningPod::running() {
  if (reaped_) {
    return false;
  }
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    reaped_ = true;
    finished_ = collect(status, outPath_, errPath_);
    return false;
  }
  return true;
}

bool RunningPod::waitForAppFile(const std::string& path, int seconds) {
  const std::string at = "/proc/" + std::to_string(pid_) + "/root" + path;
  for (int i = 0; i < seconds * 50; ++i) {
    if (!running()) {
      return false;
    }
    if (exists(at)) {
      return true;
    }
    sleepMs(20);
  }
  return false;
}

Finished RunningPod::wait(int seconds) {
  for (int i = 0; i < seconds * 50 && running(); ++i) {
    sleepMs(20);
  }
  if (running()) {
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    throw std::runtime_error("pod process " + std::to_string(pid_) + " did not end in " +
                             std::to_string(seconds) + "s; stderr: " + readFile(errPath_));
  }
  return finished_;
}

Finished runPod(const TestPod& pod, const RunOptions& options) {
  RunningPod running(pod, options);
  return running.wait();
}

Finished enterPod(const TestPod& pod, pid_t pid, const std::vector<std::string>& command,
                  Outcome* outcome) {
  std::string base = fixture().workRoot + "/" + next("enter");
  std::string outPath = base + ".out";
  std::string errPath = base + ".err";
  std::string outcomePath = base + ".outcome";
  std::string request = "{\"pod_dir\":" + js(pod.dir()) + ",\"uuid\":" + js(pod.uuid()) +
                        ",\"pid\":" + std::to_string(pid) + ",\"app\":" + js(pod.appName()) +
                        ",\"command\":" + jsArray(command) + ",\"interactive\":false}";
  pid_t child = ::fork();
  if (child < 0) {
    throw std::runtime_error("fork failed");
  }
  if (child == 0) {
    redirect(outPath, errPath);
    ::setenv("TERM", "xterm-fly-test", 1);
    Outcome o = fixture().client->enter(request);
    if (o.status != RKT_OK) {
      writeFile(outcomePath, std::to_string(o.status) + "\n" + o.message);
      ::_exit(254);
    }
    ::_exit(o.exitStatus);
  }
  int status = 0;
  for (int i = 0; i < 30 * 50; ++i) {
    if (::waitpid(child, &status, WNOHANG) == child) {
      Finished f = collect(status, outPath, errPath);
      if (outcome != nullptr) {
        *outcome = Outcome{};
        std::string text = readFile(outcomePath);
        if (!text.empty()) {
          size_t nl = text.find('\n');
          outcome->status = static_cast<rkt_status>(std::atoi(text.substr(0, nl).c_str()));
          outcome->message = text.substr(nl + 1);
        }
      }
      return f;
    }
    sleepMs(20);
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, &status, 0);
  throw std::runtime_error("enter did not end in 30s");
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    out.push_back(line);
  }
  return out;
}

void reapEverything() {
  const pid_t self = ::getpid();
  // Orphans of killed processes come back to us (subreaper) after their parent died: repeat.
  for (int round = 0; round < 10; ++round) {
    std::vector<pid_t> children;
    if (DIR* d = ::opendir("/proc")) {
      while (struct dirent* e = ::readdir(d)) {
        pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
        if (pid <= 0) {
          continue;
        }
        std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
        size_t close = stat.rfind(')');
        if (close == std::string::npos || close + 2 > stat.size()) {
          continue;
        }
        std::istringstream fields(stat.substr(close + 2));
        char state;
        pid_t ppid = 0;
        fields >> state >> ppid;
        if (ppid == self) {
          children.push_back(pid);
        }
      }
      ::closedir(d);
    }
    if (children.empty()) {
      return;
    }
    for (pid_t pid : children) {
      ::kill(pid, SIGKILL);
    }
    for (pid_t pid : children) {
      int status;
      ::waitpid(pid, &status, 0);
    }
  }
}

}  // namespace flytest
