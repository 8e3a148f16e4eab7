#include "rkt/core/pod/pod_json.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "pod/sys.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "util/json_indent.hpp"

namespace rkt::pod {
namespace {

using Object = Poco::JSON::Object;

Object::Ptr newObject() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

std::int64_t unixSeconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t unixNanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// rkt's GCMarkedTime: the ctime the marking rename gave the directory, for pods in
// exited-garbage/ or garbage/; unset otherwise.
std::optional<TimePoint> gcMarkedTime(const Pod& pod) {
  if (pod.phase() != Phase::ExitedGarbage && pod.phase() != Phase::Garbage)
    return std::nullopt;
  struct stat st {};
  if (pod.dirFd() < 0 || ::fstat(pod.dirFd(), &st) != 0)
    return std::nullopt;
  return sys::toTimePoint(st.st_ctim);
}

// rkt's appStateFromPod for pods whose apps are not started one by one.
const char* appStateFromPod(State state) {
  switch (state) {
    case State::Prepared:
      return "created";
    case State::Running:
      return "running";
    case State::Deleting:
    case State::ExitedDeleting:
    case State::Exited:
    case State::ExitedGarbage:
    case State::Garbage:
      return "exited";
    default:
      return "unknown";
  }
}

// Go marshals a nil map as absent (omitempty) and map keys sorted, as std::map iterates.
void setMap(Object& o, const char* key, const std::map<std::string, std::string>& map) {
  if (map.empty())
    return;
  Object::Ptr m = newObject();
  for (const auto& [k, v] : map)
    m->set(k, v);
  o.set(key, m);
}

bool manifestAvailable(State state) {
  // rkt's PodManifestAvailable: not while preparing, after an aborted prepare or while deleting.
  return state != State::Preparing && state != State::AbortedPrepare && state != State::Deleting;
}

Object::Ptr appObject(const schema::RuntimeApp& ra, const schema::PodManifest& manifest,
                      const Pod& pod, TimePoint created, std::optional<TimePoint> started,
                      std::optional<TimePoint> finished) {
  Object::Ptr a = newObject();
  a->set("name", ra.name);
  std::optional<int> exitCode;
  if (Result<int> code = appExitCode(pod, ra.name); code)
    exitCode = *code;
  a->set("state", exitCode ? "exited" : appStateFromPod(pod.state()));
  a->set("created_at", static_cast<Poco::Int64>(unixNanos(created)));
  if (started)
    a->set("started_at", static_cast<Poco::Int64>(unixNanos(*started)));
  if (finished)
    a->set("finished_at", static_cast<Poco::Int64>(unixNanos(*finished)));
  if (exitCode)
    a->set("exit_code", *exitCode);
  a->set("image_id", ra.image.id);
  Poco::JSON::Array mounts;
  for (const schema::Mount& m : ra.mounts) {
    std::string hostPath;
    bool readOnly = false;
    if (m.appVolume) {
      hostPath = m.appVolume->source;
      readOnly = m.appVolume->readOnly.value_or(false);
    } else if (const schema::Volume* v = manifest.findVolume(m.volume)) {
      hostPath = v->source;
      readOnly = v->readOnly.value_or(false);
    }
    Object::Ptr mo = newObject();
    mo->set("name", m.volume);
    mo->set("container_path", m.path);
    mo->set("host_path", hostPath);
    mo->set("read_only", readOnly);
    mounts.add(mo);
  }
  if (mounts.size() > 0)
    a->set("mounts", mounts);
  if (ra.app) {
    setMap(*a, "user_annotations", ra.app->userAnnotations);
    setMap(*a, "user_labels", ra.app->userLabels);
  }
  return a;
}

}  // namespace

std::string formatNetworks(const std::vector<NetInfo>& networks) {
  std::string out;
  for (const NetInfo& n : networks) {
    if (!out.empty())
      out += ", ";
    // rkt prints Go's nil net.IP, "<nil>", for a network that gave no IPv4 address.
    out += n.netName + ":ip4=" + (n.ip.empty() ? std::string("<nil>") : n.ip);
  }
  return out;
}

Result<std::string> podToJson(const Pod& pod) {
  Object::Ptr o = newObject();
  o->set("name", pod.uuid().str());
  o->set("state", std::string(stateName(pod.state())));
  const bool ran = pod.state() == State::Running || isAfterRun(pod.state());
  if (ran) {
    Result<std::vector<NetInfo>> nets = readNetworks(pod);
    if (!nets)
      return nets.error();
    if (!nets->empty()) {
      Poco::JSON::Array array;
      for (const NetInfo& n : *nets) {
        Object::Ptr no = newObject();
        no->set("netName", n.netName);
        no->set("netConf", n.netConf);
        no->set("pluginPath", n.pluginPath);
        no->set("ifName", n.ifName);
        no->set("ip", n.ip);
        no->set("args", n.args);
        no->set("mask", n.mask);
        array.add(no);
      }
      o->set("networks", array);
    }
  }
  Result<std::optional<TimePoint>> started = startTime(pod);
  if (!started)
    return started.error();
  Result<std::optional<TimePoint>> created = creationTime(pod);
  if (!created)
    return created.error();
  if (!*created || unixSeconds(**created) <= 0)
    return Error{"invalid creation time", EINVAL};

  if (manifestAvailable(pod.state())) {
    Result<std::string> text = readManifest(pod);
    if (!text)
      return text.error();
    Result<schema::PodManifest> manifest = schema::parsePodManifest(*text);
    if (!manifest)
      return manifest.error().wrap("pod `" + pod.uuid().str() + "`");
    Poco::JSON::Array names;
    Poco::JSON::Array apps;
    const std::optional<TimePoint> finished = gcMarkedTime(pod);
    for (const schema::RuntimeApp& ra : manifest->apps) {
      names.add(ra.name);
      apps.add(appObject(ra, *manifest, pod, **created, *started, finished));
    }
    if (names.size() > 0) {
      o->set("app_names", names);
      o->set("apps", apps);
    }
    o->set("created_at", static_cast<Poco::Int64>(unixSeconds(**created)));
    if (*started)
      o->set("started_at", static_cast<Poco::Int64>(unixSeconds(**started)));
    setMap(*o, "user_annotations", manifest->userAnnotations);
    setMap(*o, "user_labels", manifest->userLabels);
  } else {
    o->set("created_at", static_cast<Poco::Int64>(unixSeconds(**created)));
    if (*started)
      o->set("started_at", static_cast<Poco::Int64>(unixSeconds(**started)));
  }
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

std::string podJsonArray(const std::vector<std::string>& objects, bool pretty) {
  if (objects.empty())
    return "null";
  std::string out = "[";
  for (size_t i = 0; i < objects.size(); ++i) {
    if (i > 0)
      out += ',';
    out += objects[i];
  }
  out += ']';
  return pretty ? util::indentJson(out, "\t") : out;
}

std::string podJsonObject(const std::string& object, bool pretty) {
  return pretty ? util::indentJson(object, "\t") : object;
}

}  // namespace rkt::pod
