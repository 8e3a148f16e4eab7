#include "aci_stage1.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <sstream>

#include "entrypoint_args.hpp"
#include "rkt/sdk/error.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/sdk/protocol/stage1.hpp"

namespace rkt::aci {
namespace {

using protocol::stage1::EnterRequest;
using protocol::stage1::GcRequest;
using protocol::stage1::RunRequest;
using protocol::stage1::StopRequest;
namespace layout = protocol::layout;

[[noreturn]] void throwErrno(const std::string& what, int err) {
  throw sdk::Error(RKT_E_IO, what + ": " + std::strerror(err), err);
}

Stage1Image podImage(const std::string& podDir) {
  const std::string path = podDir + "/" + layout::kStage1Manifest;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throwErrno("cannot read the stage1 image manifest `" + path + "`", errno);
  std::string text;
  char buf[8192];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    text.append(buf, static_cast<size_t>(n));
  const int err = errno;
  ::close(fd);
  if (n < 0)
    throwErrno("cannot read the stage1 image manifest `" + path + "`", err);
  return Stage1Image::fromManifest(text);
}

// The host path of an entrypoint: inside the stage1 rootfs, as rkt joins it.
std::string hostPath(const std::string& podDir, const std::string& entrypoint) {
  return podDir + "/" + layout::kStage1Rootfs + (entrypoint.front() == '/' ? "" : "/") + entrypoint;
}

// rkt's `error determining '<op>' entrypoint: entrypoint "…" not found`.
std::string requireEntrypoint(const Stage1Image& image, const char* op) {
  try {
    return image.requireEntrypoint(op);
  } catch (const sdk::Error& e) {
    throw sdk::Error(e.code(),
                     std::string("error determining '") + op + "' entrypoint: " + e.what());
  }
}

std::vector<char*> cArgv(std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (std::string& a : argv)
    out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

void enterPodDir(const std::string& podDir) {
  if (::chdir(podDir.c_str()) != 0)
    throwErrno("cannot enter `" + podDir + "`", errno);
}

[[noreturn]] void execInvocation(Invocation inv, const std::string& what) {
  for (const std::string& w : inv.warnings)
    std::cerr << "stage0: " << w << std::endl;
  std::vector<char*> argv = cArgv(inv.argv);
  ::execv(argv[0], argv.data());
  throwErrno("error execing " + what, errno);
}

// rkt's exec.Cmd.Run for gc and stop: cwd $POD, stdio inherited, waits; a non-zero exit is
// "error executing stage1's <op>: exit status N".
void runInvocation(Invocation inv, const std::string& podDir, const std::string& op) {
  std::vector<char*> argv = cArgv(inv.argv);
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0)
    throwErrno("cannot start stage1's " + op, errno);
  if (pid == 0) {
    if (::chdir(podDir.c_str()) == 0)
      ::execv(argv[0], argv.data());
    const std::string line = "stage0: error executing stage1's " + op + ": " + argv[0] + ": " +
                             std::strerror(errno) + "\n";
    (void)!::write(2, line.data(), line.size());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throwErrno("cannot wait for stage1's " + op, errno);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return;
  const std::string how = WIFEXITED(status)
                              ? "exit status " + std::to_string(WEXITSTATUS(status))
                              : "signal: " + std::string(::strsignal(WTERMSIG(status)));
  throw sdk::Error(RKT_E_INTERNAL, "error executing stage1's " + op + ": " + how);
}

}  // namespace

AciStage1::AciStage1(const std::string& configJson) {
  Poco::JSON::Object::Ptr config;
  try {
    config = Poco::JSON::Parser().parse(configJson).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw sdk::Error(RKT_E_INVALID, "invalid aci stage1 configuration: " + e.displayText());
  }
  if (!config || !config->has("image_manifest"))
    return;
  Poco::JSON::Object::Ptr manifest = config->getObject("image_manifest");
  if (!manifest)
    throw sdk::Error(RKT_E_INVALID,
                     "invalid aci stage1 configuration: `image_manifest` is not an object");
  std::ostringstream text;
  manifest->stringify(text);
  configured_ = Stage1Image::fromManifest(text.str());
}

std::string AciStage1::describe() {
  protocol::stage1::DescribeResult d;
  d.maxApps = 0;
  d.isolation = "image";  // whatever the stage1 image does
  d.isMutable = configured_ && configured_->isMutable();
  d.exitStatusPreserved = true;
  return protocol::encode(d);
}

int AciStage1::run(const std::string& json) {
  const auto request = protocol::decode<RunRequest>(json);
  const Stage1Image image = podImage(request.podDir);
  const std::string ep = requireEntrypoint(image, kRun);
  Invocation inv = runInvocation(request, hostPath(request.podDir, ep), image.interfaceVersion());
  // The stage1 keeps the pod locked for its whole life (rkt: clear FD_CLOEXEC before exec).
  const int flags = ::fcntl(request.lockFd, F_GETFD);
  if (flags < 0 || ::fcntl(request.lockFd, F_SETFD, flags & ~FD_CLOEXEC) != 0)
    throwErrno("error clearing FD_CLOEXEC on lock fd", errno);
  ::setenv("RKT_LOCK_FD", std::to_string(request.lockFd).c_str(), 1);
  enterPodDir(request.podDir);
  execInvocation(std::move(inv), "init");
}

int AciStage1::enter(const std::string& json) {
  const auto request = protocol::decode<EnterRequest>(json);
  const Stage1Image image = podImage(request.podDir);
  const std::string ep = requireEntrypoint(image, kEnter);
  Invocation inv = enterInvocation(request, hostPath(request.podDir, ep));
  enterPodDir(request.podDir);
  execInvocation(std::move(inv), "entrypoint");
}

void AciStage1::stop(const std::string& json) {
  const auto request = protocol::decode<StopRequest>(json);
  const Stage1Image image = podImage(request.podDir);
  std::optional<std::string> ep = image.entrypoint(kStop);
  if (!ep)
    throw sdk::Error(RKT_E_NOT_FOUND, "rkt stop not implemented for pod's stage1");
  runInvocation(stopInvocation(request, hostPath(request.podDir, *ep)), request.podDir, "stop");
}

void AciStage1::gc(const std::string& json) {
  const auto request = protocol::decode<GcRequest>(json);
  const Stage1Image image = podImage(request.podDir);
  const std::string ep = requireEntrypoint(image, kGc);
  runInvocation(gcInvocation(request, hostPath(request.podDir, ep), image.interfaceVersion()),
                request.podDir, "gc");
}

}  // namespace rkt::aci
