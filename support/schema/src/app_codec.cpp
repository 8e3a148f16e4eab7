// JSON <-> app objects, ports and volumes.
#include <limits>

#include "codec.hpp"

namespace rkt::schema::detail {
namespace {

constexpr std::uint64_t kMaxUint32 = std::numeric_limits<std::uint32_t>::max();

EventHandler decodeEventHandler(const Var& v, std::string_view path) {
  EventHandler h;
  forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "name")
      h.name = asString(value, childPath(path, "name"));
    else if (key == "exec")
      h.exec = asStringList(value, childPath(path, "exec"));
  });
  return h;
}

MountPoint decodeMountPoint(const Var& v, std::string_view path) {
  MountPoint mp;
  forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "name")
      mp.name = asString(value, childPath(path, "name"));
    else if (key == "path")
      mp.path = asString(value, childPath(path, "path"));
    else if (key == "readonly")
      mp.readOnly = asBool(value, childPath(path, "readOnly"));
  });
  return mp;
}

template <class T, class F>
std::vector<T> decodeList(const Var& v, std::string_view path, F decodeOne) {
  ArrayPtr arr = asArray(v, path);
  std::vector<T> out;
  out.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i)
    out.push_back(decodeOne(arr->get(static_cast<unsigned>(i)), indexPath(path, i)));
  return out;
}

}  // namespace

Port decodePort(const Var& v, std::string_view path) {
  Port p;
  forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "name")
      p.name = asString(value, childPath(path, "name"));
    else if (key == "protocol")
      p.protocol = asString(value, childPath(path, "protocol"));
    else if (key == "port")
      p.port = static_cast<std::uint32_t>(asUnsigned(value, childPath(path, "port"), kMaxUint32));
    else if (key == "count")
      p.count = static_cast<std::uint32_t>(asUnsigned(value, childPath(path, "count"), kMaxUint32));
    else if (key == "socketactivated")
      p.socketActivated = asBool(value, childPath(path, "socketActivated"));
  });
  if (p.count == 0)
    p.count = 1;  // as the reference library reads it
  return p;
}

ObjectPtr encodePort(const Port& p) {
  ObjectPtr obj = newObject();
  obj->set("name", p.name);
  obj->set("protocol", p.protocol);
  obj->set("port", p.port);
  obj->set("count", p.count);
  obj->set("socketActivated", p.socketActivated);
  return obj;
}

Volume decodeVolume(const Var& v, std::string_view path) {
  Volume vol;
  forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
    const std::string at = childPath(path, key);
    if (key == "name")
      vol.name = asString(value, at);
    else if (key == "kind")
      vol.kind = asString(value, at);
    else if (key == "source")
      vol.source = asString(value, at);
    else if (key == "readonly")
      vol.readOnly = asBool(value, childPath(path, "readOnly"));
    else if (key == "recursive")
      vol.recursive = asBool(value, at);
    else if (key == "mode")
      vol.mode = asString(value, at);
    else if (key == "uid")
      vol.uid = asSigned(value, at);
    else if (key == "gid")
      vol.gid = asSigned(value, at);
  });
  setVolumeDefaults(vol);
  return vol;
}

ObjectPtr encodeVolume(const Volume& v) {
  ObjectPtr obj = newObject();
  obj->set("name", v.name);
  obj->set("kind", v.kind);
  if (!v.source.empty())
    obj->set("source", v.source);
  if (v.readOnly)
    obj->set("readOnly", *v.readOnly);
  if (v.recursive)
    obj->set("recursive", *v.recursive);
  if (v.mode)
    obj->set("mode", *v.mode);
  if (v.uid)
    obj->set("uid", *v.uid);
  if (v.gid)
    obj->set("gid", *v.gid);
  return obj;
}

App decodeApp(const Var& v, std::string_view path) {
  App app;
  forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "exec") {
      app.exec = asStringList(value, childPath(path, "exec"));
    } else if (key == "user") {
      app.user = asString(value, childPath(path, "user"));
    } else if (key == "group") {
      app.group = asString(value, childPath(path, "group"));
    } else if (key == "supplementarygids") {
      const std::string at = childPath(path, "supplementaryGIDs");
      ArrayPtr arr = asArray(value, at);
      app.supplementaryGids.clear();
      for (size_t i = 0; i < arr->size(); ++i)
        app.supplementaryGids.push_back(static_cast<std::uint32_t>(
            asUnsigned(arr->get(static_cast<unsigned>(i)), indexPath(at, i), kMaxUint32)));
    } else if (key == "eventhandlers") {
      app.eventHandlers =
          decodeList<EventHandler>(value, childPath(path, "eventHandlers"), decodeEventHandler);
    } else if (key == "workingdirectory") {
      app.workingDirectory = asString(value, childPath(path, "workingDirectory"));
    } else if (key == "environment") {
      app.environment = asNameValues(value, childPath(path, "environment"));
    } else if (key == "isolators") {
      app.isolators = decodeIsolators(value, childPath(path, "isolators"));
    } else if (key == "mountpoints") {
      app.mountPoints =
          decodeList<MountPoint>(value, childPath(path, "mountPoints"), decodeMountPoint);
    } else if (key == "ports") {
      app.ports = decodeList<Port>(value, childPath(path, "ports"), decodePort);
    } else if (key == "userannotations") {
      app.userAnnotations = asStringMap(value, childPath(path, "userAnnotations"));
    } else if (key == "userlabels") {
      app.userLabels = asStringMap(value, childPath(path, "userLabels"));
    }
  });
  return app;
}

ObjectPtr encodeApp(const App& app, std::string_view path) {
  ObjectPtr obj = newObject();
  // Go writes `"exec": null` for an app without exec; leaving it out reads back the same.
  if (!app.exec.empty())
    obj->set("exec", toArray(app.exec));
  if (!app.eventHandlers.empty()) {
    ArrayPtr arr = new Poco::JSON::Array();
    for (const auto& h : app.eventHandlers) {
      ObjectPtr ho = newObject();
      ho->set("name", h.name);
      ho->set("exec", toArray(h.exec));
      arr->add(ho);
    }
    obj->set("eventHandlers", arr);
  }
  obj->set("user", app.user);
  obj->set("group", app.group);
  if (!app.supplementaryGids.empty()) {
    ArrayPtr arr = new Poco::JSON::Array();
    for (auto gid : app.supplementaryGids)
      arr->add(gid);
    obj->set("supplementaryGIDs", arr);
  }
  if (!app.workingDirectory.empty())
    obj->set("workingDirectory", app.workingDirectory);
  if (!app.environment.empty())
    obj->set("environment", toArray(app.environment));
  if (!app.isolators.empty())
    obj->set("isolators", encodeIsolators(app.isolators, childPath(path, "isolators")));
  if (!app.mountPoints.empty()) {
    ArrayPtr arr = new Poco::JSON::Array();
    for (const auto& mp : app.mountPoints) {
      ObjectPtr mo = newObject();
      mo->set("name", mp.name);
      mo->set("path", mp.path);
      if (mp.readOnly)
        mo->set("readOnly", true);
      arr->add(mo);
    }
    obj->set("mountPoints", arr);
  }
  if (!app.ports.empty()) {
    ArrayPtr arr = new Poco::JSON::Array();
    for (const auto& p : app.ports)
      arr->add(encodePort(p));
    obj->set("ports", arr);
  }
  if (!app.userAnnotations.empty())
    obj->set("userAnnotations", toObject(app.userAnnotations));
  if (!app.userLabels.empty())
    obj->set("userLabels", toObject(app.userLabels));
  return obj;
}

}  // namespace rkt::schema::detail
