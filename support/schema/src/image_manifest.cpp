#include "rkt/schema/image_manifest.hpp"

#include "codec.hpp"
#include "field_path.hpp"
#include "manifest_io.hpp"
#include "rkt/schema/names.hpp"
#include "rkt/schema/semver.hpp"

namespace rkt::schema {

using detail::atField;
using detail::childPath;
using detail::fieldError;
using detail::indexPath;
using detail::quote;

namespace {

constexpr const char* kInvalid = "invalid image manifest: ";

Dependency decodeDependency(const detail::Var& v, std::string_view path) {
  Dependency d;
  detail::forEachMember(detail::asObject(v, path),
                        [&](const std::string& key, const detail::Var& value) {
                          if (key == "imagename")
                            d.imageName = detail::asString(value, childPath(path, "imageName"));
                          else if (key == "imageid")
                            d.imageId = detail::asString(value, childPath(path, "imageID"));
                          else if (key == "labels")
                            d.labels = detail::asNameValues(value, childPath(path, "labels"));
                          else if (key == "size")
                            d.size = detail::asUnsigned(value, childPath(path, "size"), UINT64_MAX);
                        });
  return d;
}

ImageManifest decode(const detail::Var& root) {
  ImageManifest m;
  m.acKind.clear();
  m.acVersion.clear();
  detail::forEachMember(
      detail::asObject(root, ""), [&](const std::string& key, const detail::Var& value) {
        if (key == "ackind") {
          m.acKind = detail::asString(value, "acKind");
        } else if (key == "acversion") {
          m.acVersion = detail::asString(value, "acVersion");
        } else if (key == "name") {
          m.name = detail::asString(value, "name");
        } else if (key == "labels") {
          m.labels = detail::asNameValues(value, "labels");
        } else if (key == "app") {
          m.app = detail::decodeApp(value, "app");
        } else if (key == "dependencies") {
          detail::ArrayPtr arr = detail::asArray(value, "dependencies");
          m.dependencies.clear();
          for (size_t i = 0; i < arr->size(); ++i)
            m.dependencies.push_back(
                decodeDependency(arr->get(static_cast<unsigned>(i)), indexPath("dependencies", i)));
        } else if (key == "pathwhitelist") {
          m.pathWhitelist = detail::asStringList(value, "pathWhitelist");
        } else if (key == "annotations") {
          m.annotations = detail::asNameValues(value, "annotations");
        }
      });
  return m;
}

detail::ObjectPtr encode(const ImageManifest& m) {
  detail::ObjectPtr obj = detail::newObject();
  obj->set("acKind", m.acKind);
  obj->set("acVersion", m.acVersion);
  obj->set("name", m.name);
  if (!m.labels.empty())
    obj->set("labels", detail::toArray(m.labels));
  if (m.app)
    obj->set("app", detail::encodeApp(*m.app, "app"));
  if (!m.annotations.empty())
    obj->set("annotations", detail::toArray(m.annotations));
  if (!m.dependencies.empty()) {
    detail::ArrayPtr arr = new Poco::JSON::Array();
    for (const auto& d : m.dependencies) {
      detail::ObjectPtr dobj = detail::newObject();
      dobj->set("imageName", d.imageName);
      if (!d.imageId.empty())
        dobj->set("imageID", d.imageId);
      if (!d.labels.empty())
        dobj->set("labels", detail::toArray(d.labels));
      if (d.size != 0)
        dobj->set("size", d.size);
      arr->add(dobj);
    }
    obj->set("dependencies", arr);
  }
  if (!m.pathWhitelist.empty())
    obj->set("pathWhitelist", detail::toArray(m.pathWhitelist));
  return obj;
}

}  // namespace

bool ImageManifest::operator==(const ImageManifest& o) const {
  return acKind == o.acKind && acVersion == o.acVersion && name == o.name && labels == o.labels &&
         app == o.app && dependencies == o.dependencies && pathWhitelist == o.pathWhitelist &&
         annotations == o.annotations;
}

Status validateImageManifest(const ImageManifest& m) {
  auto check = [&]() -> Status {
    if (m.acKind.empty())
      return fieldError("acKind", "must be set to `ImageManifest`");
    if (m.acKind != kImageManifestKind)
      return fieldError("acKind", "must be `ImageManifest`, got " + quote(m.acKind));
    RKT_SCHEMA_CHECK(atField("acVersion", validateAcVersion(m.acVersion)));
    if (m.name.empty())
      return fieldError("name", "must be set");
    RKT_SCHEMA_CHECK(atField("name", validateAcIdentifier(m.name)));
    RKT_SCHEMA_CHECK(validateLabels(m.labels, "labels"));
    if (m.app)
      RKT_SCHEMA_CHECK(validateApp(*m.app, "app"));
    for (size_t i = 0; i < m.dependencies.size(); ++i)
      RKT_SCHEMA_CHECK(validateDependency(m.dependencies[i], indexPath("dependencies", i)));
    for (size_t i = 0; i < m.pathWhitelist.size(); ++i) {
      const auto& p = m.pathWhitelist[i];
      if (p.empty() || p[0] != '/')
        return fieldError(indexPath("pathWhitelist", i),
                          "must be an absolute path, got " + quote(p));
    }
    return validateAnnotations(m.annotations, "annotations");
  };
  Status s = check();
  if (!s)
    return Error{kInvalid + s.error().message};
  return s;
}

Result<ImageManifest> parseImageManifest(std::string_view json) {
  return detail::parseManifest<ImageManifest>(json, kInvalid, decode, validateImageManifest);
}

Result<std::string> serializeImageManifest(const ImageManifest& m, JsonStyle style) {
  return detail::serializeManifest(m, style, "image manifest", encode, validateImageManifest);
}

}  // namespace rkt::schema
