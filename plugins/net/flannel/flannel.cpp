#include "flannel.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cerrno>
#include <cstring>
#include <regex>

#include "delegate_conf.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::flannel {

namespace pc = protocol::cni;

namespace {

[[noreturn]] void fail(const std::string& msg) {
  throw pc::Failure(pc::kInternal, msg);
}

// The scratch file is named by the container id: refuse anything that is not a CNI id.
std::string scratchPath(const FlannelConf& c, const pc::Request& r) {
  static const std::regex valid("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  if (!std::regex_match(r.containerId, valid)) {
    throw pc::Failure(pc::kInvalidEnvironment, "invalid container id \"" + r.containerId + "\"");
  }
  return c.dataDir + "/" + r.containerId;
}

// Go's os.Open error, as the reference prints it.
std::string readSubnetFile(const std::string& path) {
  posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::string text;
  if (!fd.valid() || !posix::readAll(fd.get(), text)) {
    fail("open " + path + ": " + posix::errnoText(errno));
  }
  return text;
}

void mkdirs(const std::string& dir) {
  for (std::size_t pos = 1; pos != std::string::npos;) {
    pos = dir.find('/', pos + 1);
    const std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
      fail("mkdir " + part + ": " + posix::errnoText(errno));
    }
  }
}

// Written whole or not at all (a temporary file renamed), 0600 as the reference's.
void saveScratch(const std::string& path, const std::string& conf) {
  const std::string tmp = path + ".tmp";
  posix::UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid() || !posix::writeAll(fd.get(), conf) || ::fsync(fd.get()) != 0 ||
      ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    fail("cannot save the delegate configuration `" + path + "`: " + posix::errnoText(e));
  }
}

pc::Request delegateRequest(const pc::Request& r, const std::string& conf) {
  pc::Request d = r;
  d.config.text = conf;
  return d;
}

}  // namespace

pc::Result Flannel::add(const sdk::NetContext& ctx, const pc::Request& r) {
  const FlannelConf c = parseFlannelConf(r.config.text);
  const std::string path = scratchPath(c, r);
  const SubnetEnv env = parseSubnetEnv(readSubnetFile(c.subnetFile), c.subnetFile);
  const std::string conf = buildDelegateConf(r.config.text, r.runtimeConfig.text, env);
  mkdirs(c.dataDir);
  saveScratch(path, conf);
  // On failure the file stays, as the reference's: the runtime's DEL finds the delegate by it.
  std::string result;
  try {
    result = ctx.delegate(RKT_KIND_NET, RKT_CNI_ADD, delegateRequest(r, conf));
  } catch (const pc::Failure& f) {
    throw pc::Failure(f.object().code, "failed to delegate add: " + f.object().msg,
                      f.object().details);
  }
  return protocol::decode<pc::Result>(result);
}

void Flannel::del(const sdk::NetContext& ctx, const pc::Request& r) {
  const FlannelConf c = parseFlannelConf(r.config.text);
  const std::string path = scratchPath(c, r);
  auto saved = posix::readFileAt(AT_FDCWD, path);
  if (!saved) {
    if (saved.error().sysErrno == ENOENT) {
      return;  // nothing was added, or DEL already ran
    }
    fail(saved.error().message);
  }
  try {
    Poco::JSON::Parser().parse(*saved).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    // As the reference: an unreadable scratch file cannot name a delegate; nothing to undo.
    sdk::log(RKT_LOG_WARNING, "flannel: failed to parse netconf `" + path + "`: " + e.what());
    return;
  }
  ctx.delegate(RKT_KIND_NET, RKT_CNI_DEL, delegateRequest(r, *saved));
  ::unlink(path.c_str());  // only once the delegate released everything
}

void Flannel::check(const sdk::NetContext&, const pc::Request& r) {
  parseFlannelConf(r.config.text);
}

}  // namespace rkt::flannel
