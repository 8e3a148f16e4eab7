#include "rkt/support/oci/convert.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "json_util.hpp"
#include "rkt/schema/names.hpp"
#include "rkt/schema/os_arch.hpp"

namespace rkt::oci {
namespace {

using detail::obj;
using detail::parseObject;
using detail::str;

std::vector<std::string> strings(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  std::vector<std::string> out;
  if (!o || !o->has(key) || o->get(key).type() != typeid(Poco::JSON::Array::Ptr)) {
    return out;
  }
  Poco::JSON::Array::Ptr a = o->getArray(key);
  for (size_t i = 0; i < a->size(); ++i) {
    if (a->get(static_cast<unsigned>(i)).isString()) {
      out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  return out;
}

// docker2aci writes these two annotations as Go's json.Marshal of the string slice.
std::string jsonArray(const std::vector<std::string>& v) {
  Poco::JSON::Array a;
  for (const std::string& s : v) {
    a.add(s);
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(a, out);
  return out.str();
}

std::vector<std::string> keys(const Poco::JSON::Object::Ptr& o) {
  std::vector<std::string> out;
  if (o) {
    for (const auto& kv : *o) {
      out.push_back(kv.first);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<schema::MountPoint>> mountPoints(const Poco::JSON::Object::Ptr& volumes) {
  std::vector<schema::MountPoint> out;
  std::set<std::string> used;
  for (const std::string& path : keys(volumes)) {
    // Go's filepath.Join("volume", path): "/data/" -> "volume/data".
    std::string joined = "volume";
    for (size_t i = 0; i < path.size();) {
      size_t j = path.find('/', i);
      j = j == std::string::npos ? path.size() : j;
      if (j > i && path.compare(i, j - i, ".") != 0) {
        joined += "/" + path.substr(i, j - i);
      }
      i = j + 1;
    }
    auto base = schema::sanitizeAcName(joined);
    if (!base) {
      return base.error();
    }
    std::string name = *base;
    for (int n = 1; used.count(name) != 0; ++n) {
      name = *base + "-" + std::to_string(n);
    }
    used.insert(name);
    out.push_back({name, path, false});
  }
  std::sort(out.begin(), out.end(), [](const schema::MountPoint& a, const schema::MountPoint& b) {
    return a.name < b.name;
  });
  return out;
}

Result<std::vector<schema::Port>> ports(const Poco::JSON::Object::Ptr& exposed) {
  std::vector<schema::Port> out;
  for (const std::string& spec : keys(exposed)) {
    std::string number = spec;
    std::string protocol = "tcp";
    if (auto slash = spec.find('/'); slash != std::string::npos) {
      number = spec.substr(0, slash);
      protocol = spec.substr(slash + 1);
    }
    std::uint32_t port = 0;
    bool ok =
        !number.empty() && number.size() <= 5 &&
        std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (ok) {
      port = static_cast<std::uint32_t>(std::stoul(number));
    }
    if (!ok || port == 0 || port > 65535) {
      return Error{"invalid exposed port `" + spec + "`"};
    }
    auto name = schema::sanitizeAcName(number + "-" + protocol);
    if (!name) {
      return name.error();
    }
    out.push_back({*name, protocol, port, 1, false});
  }
  std::sort(out.begin(), out.end(),
            [](const schema::Port& a, const schema::Port& b) { return a.name < b.name; });
  return out;
}

}  // namespace

Result<schema::ImageManifest> convertImage(const ResolvedImage& image, const ImageNaming& naming) {
  const std::string what = "cannot convert image `" + naming.originalName + "`";
  auto root = parseObject(image.configJson, what + ": image config");
  if (!root) {
    return root.error();
  }
  const Poco::JSON::Object::Ptr& cfg = *root;
  Poco::JSON::Object::Ptr config = obj(cfg, "config");

  schema::ImageManifest m;
  auto name = schema::sanitizeAcIdentifier(naming.name);
  if (!name) {
    return name.error().wrap(what);
  }
  m.name = *name;
  auto osArch =
      schema::appcOsArchFromGo(str(cfg, "os"), str(cfg, "architecture"), str(cfg, "variant"));
  if (!osArch) {
    return osArch.error().wrap(what);
  }
  m.labels = {{"version", naming.version.empty() ? "latest" : naming.version},
              {"os", osArch->os},
              {"arch", osArch->arch}};

  auto annotate = [&m](const std::string& k, const std::string& v) {
    if (!v.empty()) {
      m.annotations.push_back({k, v});
    }
  };
  annotate("authors", str(cfg, "author"));
  annotate("created", str(cfg, "created"));
  annotate("docker-comment", str(cfg, "comment"));
  annotate("appc.io/docker/originalname", naming.originalName);
  annotate("appc.io/docker/registryurl", naming.registryUrl);
  annotate("appc.io/docker/repository",
           naming.repository.empty() ? naming.name : naming.repository);
  annotate("appc.io/docker/imageid", image.configDigest);
  annotate("appc.io/docker/manifesthash", image.manifest.digest);
  const std::vector<std::string> entrypoint = strings(config, "Entrypoint");
  const std::vector<std::string> cmd = strings(config, "Cmd");
  if (!entrypoint.empty()) {
    annotate("appc.io/docker/entrypoint", jsonArray(entrypoint));
  }
  if (!cmd.empty()) {
    annotate("appc.io/docker/cmd", jsonArray(cmd));
  }

  schema::App app;
  app.exec = entrypoint;
  app.exec.insert(app.exec.end(), cmd.begin(), cmd.end());
  std::string user = str(config, "User");
  if (user.empty()) {
    app.user = app.group = "0";
  } else if (auto colon = user.find(':'); colon != std::string::npos) {
    app.user = user.substr(0, colon);
    app.group = user.substr(colon + 1);
  } else {
    app.user = app.group = user;
  }
  for (const std::string& kv : strings(config, "Env")) {
    if (auto eq = kv.find('='); eq != std::string::npos && eq > 0) {
      app.environment.push_back({kv.substr(0, eq), kv.substr(eq + 1)});
    }
  }
  app.workingDirectory = str(config, "WorkingDir");
  if (auto labels = obj(config, "Labels")) {
    for (const auto& [k, v] : *labels) {
      if (v.isString()) {
        app.userLabels[k] = v.extract<std::string>();
      }
    }
  }
  auto mounts = mountPoints(obj(config, "Volumes"));
  if (!mounts) {
    return mounts.error().wrap(what);
  }
  app.mountPoints = std::move(*mounts);
  auto exposed = ports(obj(config, "ExposedPorts"));
  if (!exposed) {
    return exposed.error().wrap(what);
  }
  app.ports = std::move(*exposed);
  m.app = std::move(app);
  if (Status s = schema::validateImageManifest(m); !s) {
    return s.error().wrap(what);
  }
  return m;
}

}  // namespace rkt::oci
