#include "rkt/schema/pod_manifest.hpp"

#include <set>
#include <utility>

#include "codec.hpp"
#include "field_path.hpp"
#include "manifest_io.hpp"
#include "rkt/base/quote.hpp"
#include "rkt/schema/names.hpp"
#include "rkt/schema/semver.hpp"

namespace rkt::schema {

using detail::atField;
using detail::childPath;
using detail::fieldError;
using detail::indexPath;
using detail::quote;

namespace {

constexpr const char* kInvalid = "invalid pod manifest: ";

using detail::ArrayPtr;
using detail::ObjectPtr;
using detail::Var;

template <class T, class F>
std::vector<T> decodeList(const Var& v, std::string_view path, F decodeOne) {
  ArrayPtr arr = detail::asArray(v, path);
  std::vector<T> out;
  out.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i)
    out.push_back(decodeOne(arr->get(static_cast<unsigned>(i)), indexPath(path, i)));
  return out;
}

RuntimeImage decodeImage(const Var& v, std::string_view path) {
  RuntimeImage img;
  detail::forEachMember(detail::asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "name")
      img.name = detail::asString(value, childPath(path, "name"));
    else if (key == "id")
      img.id = detail::asString(value, childPath(path, "id"));
    else if (key == "labels")
      img.labels = detail::asNameValues(value, childPath(path, "labels"));
  });
  return img;
}

Mount decodeMount(const Var& v, std::string_view path) {
  Mount m;
  detail::forEachMember(detail::asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "volume")
      m.volume = detail::asString(value, childPath(path, "volume"));
    else if (key == "path")
      m.path = detail::asString(value, childPath(path, "path"));
    else if (key == "appvolume")
      m.appVolume = detail::decodeVolume(value, childPath(path, "appVolume"));
  });
  return m;
}

RuntimeApp decodeRuntimeApp(const Var& v, std::string_view path) {
  RuntimeApp ra;
  detail::forEachMember(detail::asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "name")
      ra.name = detail::asString(value, childPath(path, "name"));
    else if (key == "image")
      ra.image = decodeImage(value, childPath(path, "image"));
    else if (key == "app")
      ra.app = detail::decodeApp(value, childPath(path, "app"));
    else if (key == "readonlyrootfs")
      ra.readOnlyRootFs = detail::asBool(value, childPath(path, "readOnlyRootFS"));
    else if (key == "mounts")
      ra.mounts = decodeList<Mount>(value, childPath(path, "mounts"), decodeMount);
    else if (key == "annotations")
      ra.annotations = detail::asNameValues(value, childPath(path, "annotations"));
  });
  return ra;
}

ExposedPort decodeExposedPort(const Var& v, std::string_view path) {
  ExposedPort p;
  detail::forEachMember(detail::asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "name")
      p.name = detail::asString(value, childPath(path, "name"));
    else if (key == "hostport")
      p.hostPort = static_cast<std::uint32_t>(
          detail::asUnsigned(value, childPath(path, "hostPort"), UINT32_MAX));
    else if (key == "hostip")
      p.hostIp = detail::asString(value, childPath(path, "hostIP"));
    else if (key == "podport")
      p.podPort = detail::decodePort(value, childPath(path, "podPort"));
  });
  return p;
}

PodManifest decode(const Var& root) {
  PodManifest m;
  m.acKind.clear();
  m.acVersion.clear();
  detail::forEachMember(detail::asObject(root, ""), [&](const std::string& key, const Var& value) {
    if (key == "acversion")
      m.acVersion = detail::asString(value, "acVersion");
    else if (key == "ackind")
      m.acKind = detail::asString(value, "acKind");
    else if (key == "apps")
      m.apps = decodeList<RuntimeApp>(value, "apps", decodeRuntimeApp);
    else if (key == "volumes")
      m.volumes = decodeList<Volume>(value, "volumes", detail::decodeVolume);
    else if (key == "isolators")
      m.isolators = detail::decodeIsolators(value, "isolators");
    else if (key == "annotations")
      m.annotations = detail::asNameValues(value, "annotations");
    else if (key == "ports")
      m.ports = decodeList<ExposedPort>(value, "ports", decodeExposedPort);
    else if (key == "userannotations")
      m.userAnnotations = detail::asStringMap(value, "userAnnotations");
    else if (key == "userlabels")
      m.userLabels = detail::asStringMap(value, "userLabels");
  });
  return m;
}

ObjectPtr encodeRuntimeApp(const RuntimeApp& ra, std::string_view path) {
  ObjectPtr obj = detail::newObject();
  obj->set("name", ra.name);
  ObjectPtr img = detail::newObject();
  if (!ra.image.name.empty())
    img->set("name", ra.image.name);
  // The reference library refuses to write a template (it requires the ID); we leave it out.
  if (!ra.image.id.empty())
    img->set("id", ra.image.id);
  if (!ra.image.labels.empty())
    img->set("labels", detail::toArray(ra.image.labels));
  obj->set("image", img);
  if (ra.app)
    obj->set("app", detail::encodeApp(*ra.app, childPath(path, "app")));
  if (ra.readOnlyRootFs)
    obj->set("readOnlyRootFS", true);
  if (!ra.mounts.empty()) {
    ArrayPtr arr = new Poco::JSON::Array();
    for (const auto& m : ra.mounts) {
      ObjectPtr mo = detail::newObject();
      mo->set("volume", m.volume);
      mo->set("path", m.path);
      if (m.appVolume) {
        Volume withDefaults = *m.appVolume;
        setVolumeDefaults(withDefaults);
        mo->set("appVolume", detail::encodeVolume(withDefaults));
      }
      arr->add(mo);
    }
    obj->set("mounts", arr);
  }
  if (!ra.annotations.empty())
    obj->set("annotations", detail::toArray(ra.annotations));
  return obj;
}

ObjectPtr encode(const PodManifest& m) {
  ObjectPtr obj = detail::newObject();
  obj->set("acVersion", m.acVersion);
  obj->set("acKind", m.acKind);
  ArrayPtr apps = new Poco::JSON::Array();
  for (size_t i = 0; i < m.apps.size(); ++i)
    apps->add(encodeRuntimeApp(m.apps[i], indexPath("apps", i)));
  obj->set("apps", apps);
  ArrayPtr volumes = new Poco::JSON::Array();
  for (const auto& v : m.volumes) {
    Volume withDefaults = v;
    setVolumeDefaults(withDefaults);
    volumes->add(detail::encodeVolume(withDefaults));
  }
  obj->set("volumes", volumes);
  obj->set("isolators", detail::encodeIsolators(m.isolators, "isolators"));
  obj->set("annotations", detail::toArray(m.annotations));
  ArrayPtr ports = new Poco::JSON::Array();
  for (const auto& p : m.ports) {
    ObjectPtr po = detail::newObject();
    po->set("name", p.name);
    po->set("hostPort", p.hostPort);
    if (!p.hostIp.empty())
      po->set("hostIP", p.hostIp);
    if (p.podPort)
      po->set("podPort", detail::encodePort(*p.podPort));
    ports->add(po);
  }
  obj->set("ports", ports);
  if (!m.userAnnotations.empty())
    obj->set("userAnnotations", detail::toObject(m.userAnnotations));
  if (!m.userLabels.empty())
    obj->set("userLabels", detail::toObject(m.userLabels));
  return obj;
}

Status validateRuntimeApp(const RuntimeApp& ra, std::string_view at) {
  RKT_SCHEMA_CHECK(atField(childPath(at, "name"), validateAcName(ra.name)));
  const std::string imageAt = childPath(at, "image");
  if (!ra.image.name.empty())
    RKT_SCHEMA_CHECK(atField(childPath(imageAt, "name"), validateAcIdentifier(ra.image.name)));
  if (!ra.image.id.empty())
    RKT_SCHEMA_CHECK(atField(childPath(imageAt, "id"), validateImageId(ra.image.id)));
  if (ra.image.name.empty() && ra.image.id.empty())
    return fieldError(imageAt, "needs an `id` or a `name`");
  RKT_SCHEMA_CHECK(validateLabels(ra.image.labels, childPath(imageAt, "labels")));
  if (ra.app)
    RKT_SCHEMA_CHECK(validateApp(*ra.app, childPath(at, "app")));
  for (size_t i = 0; i < ra.mounts.size(); ++i)
    RKT_SCHEMA_CHECK(validateMount(ra.mounts[i], indexPath(childPath(at, "mounts"), i)));
  return validateAnnotations(ra.annotations, childPath(at, "annotations"));
}

Status validatePod(const PodManifest& m) {
  if (m.acKind.empty())
    return fieldError("acKind", "must be set to `PodManifest`");
  if (m.acKind != kPodManifestKind)
    return fieldError("acKind", "must be `PodManifest`, got " + quote(m.acKind));
  RKT_SCHEMA_CHECK(atField("acVersion", validateAcVersion(m.acVersion)));
  std::set<std::string_view> appNames;
  for (size_t i = 0; i < m.apps.size(); ++i) {
    const std::string at = indexPath("apps", i);
    RKT_SCHEMA_CHECK(validateRuntimeApp(m.apps[i], at));
    if (!appNames.insert(m.apps[i].name).second)
      return fieldError(childPath(at, "name"), "duplicate app " + quote(m.apps[i].name));
  }
  std::set<std::string_view> volumeNames;
  for (size_t i = 0; i < m.volumes.size(); ++i) {
    const std::string at = indexPath("volumes", i);
    RKT_SCHEMA_CHECK(validateVolume(m.volumes[i], at));
    if (!volumeNames.insert(m.volumes[i].name).second)
      return fieldError(childPath(at, "name"),
                        "duplicate volume name " + goQuote(m.volumes[i].name));  // appc's words
  }
  RKT_SCHEMA_CHECK(validateIsolators(m.isolators, IsolatorScope::Pod, "isolators"));
  RKT_SCHEMA_CHECK(validateAnnotations(m.annotations, "annotations"));
  for (size_t i = 0; i < m.ports.size(); ++i)
    RKT_SCHEMA_CHECK(validateExposedPort(m.ports[i], indexPath("ports", i)));
  return {};
}

}  // namespace

bool RuntimeApp::operator==(const RuntimeApp& o) const {
  return name == o.name && image == o.image && app == o.app && readOnlyRootFs == o.readOnlyRootFs &&
         mounts == o.mounts && annotations == o.annotations;
}

bool PodManifest::operator==(const PodManifest& o) const {
  return acVersion == o.acVersion && acKind == o.acKind && apps == o.apps && volumes == o.volumes &&
         isolators == o.isolators && annotations == o.annotations && ports == o.ports &&
         userAnnotations == o.userAnnotations && userLabels == o.userLabels;
}

const RuntimeApp* PodManifest::findApp(std::string_view appName) const {
  for (const auto& a : apps) {
    if (a.name == appName)
      return &a;
  }
  return nullptr;
}

RuntimeApp* PodManifest::findApp(std::string_view appName) {
  return const_cast<RuntimeApp*>(std::as_const(*this).findApp(appName));
}

const Volume* PodManifest::findVolume(std::string_view volumeName) const {
  for (const auto& v : volumes) {
    if (v.name == volumeName)
      return &v;
  }
  return nullptr;
}

Status validatePodManifest(const PodManifest& m) {
  Status s = validatePod(m);
  if (!s)
    return Error{kInvalid + s.error().message};
  return s;
}

Status checkPodReified(const PodManifest& m) {
  for (size_t i = 0; i < m.apps.size(); ++i) {
    const RuntimeApp& ra = m.apps[i];
    const std::string at = indexPath("apps", i);
    if (ra.image.id.empty())
      return Error{"pod manifest is not reified: " +
                   detail::fieldMessage(childPath(childPath(at, "image"), "id"),
                                        "app " + quote(ra.name) + " has no image ID")};
    for (size_t j = 0; j < ra.mounts.size(); ++j) {
      const Mount& mount = ra.mounts[j];
      if (!mount.appVolume && !m.findVolume(mount.volume))
        return Error{
            "pod manifest is not reified: " +
            detail::fieldMessage(childPath(indexPath(childPath(at, "mounts"), j), "volume"),
                                 "no volume called " + quote(mount.volume))};
    }
  }
  return {};
}

Result<PodManifest> parsePodManifest(std::string_view json) {
  return detail::parseManifest<PodManifest>(json, kInvalid, decode, validatePodManifest);
}

Result<std::string> serializePodManifest(const PodManifest& m, JsonStyle style) {
  return detail::serializeManifest(m, style, "pod manifest", encode, validatePodManifest);
}

}  // namespace rkt::schema
