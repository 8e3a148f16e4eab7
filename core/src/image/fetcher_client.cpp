#include "rkt/core/image/fetcher_client.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "json_fields.hpp"
#include "remote_json.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "try_assign.hpp"

namespace rkt::image {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr credentialsJson(const config::AuthCredentials& credentials) {
  Object::Ptr o = new Object;
  for (const auto& [name, value] : config::credentialFields(credentials)) {
    o->set(name, value);
  }
  return o;
}

}  // namespace

std::string fetchRequestJson(const FetchRequest& r) {
  Object req;
  req.set("image", r.image);
  req.set("tmp_dir", r.tmpDir);
  Object::Ptr insecure = new Object;
  insecure->set("image", r.insecure.skipImageCheck());
  insecure->set("tls", r.insecure.skipTlsCheck());
  insecure->set("http", r.insecure.allowHttp());
  insecure->set("pubkey", r.insecure.allowInsecurePubkey());
  req.set("insecure", insecure);
  Array::Ptr auth = new Array;
  Array::Ptr dockerAuth = new Array;
  if (r.config != nullptr) {
    for (const auto& [host, credentials] : r.config->authPerHost) {
      Object::Ptr entry = new Object;
      Array::Ptr domains = new Array;
      domains->add(host);
      entry->set("domains", domains);
      entry->set("type", config::authTypeName(credentials));
      entry->set("credentials", credentialsJson(credentials));
      auth->add(entry);
    }
    for (const auto& [registry, basic] : r.config->dockerCredentialsPerRegistry) {
      Object::Ptr entry = new Object;
      Array::Ptr registries = new Array;
      registries->add(registry);
      entry->set("registries", registries);
      entry->set("credentials", credentialsJson(basic));
      dockerAuth->add(entry);
    }
  }
  req.set("auth", auth);
  req.set("docker_auth", dockerAuth);
  if (r.remote) {
    req.set("remote", json::remoteToJson(*r.remote));
  }
  if (!r.signature.empty()) {
    req.set("signature", r.signature);
  }
  req.set("debug", r.debug);
  if (r.httpStallTimeout.count() > 0) {
    req.set("http_stall_timeout_ms", static_cast<Poco::Int64>(r.httpStallTimeout.count()));
  }
  return json::stringify(req);
}

Result<FetchResult> parseFetchResult(const std::string& text) {
  const std::string what = "fetcher result";
  RKT_TRY_ASSIGN(o, json::parseObject(text, what));
  FetchResult r;
  RKT_TRY_ASSIGN(path, json::str(o, "path", what));
  RKT_TRY_ASSIGN(signaturePath, json::str(o, "signature_path", what));
  RKT_TRY_ASSIGN(cachedKey, json::str(o, "cached_key", what));
  RKT_TRY_ASSIGN(latest, json::boolean(o, "latest", what));
  RKT_TRY_ASSIGN(remote, json::object(o, "remote", what));
  r.path = path;
  r.signaturePath = signaturePath;
  r.cachedKey = cachedKey;
  r.latest = latest;
  if (!remote.isNull()) {
    RKT_TRY_ASSIGN(rec, json::remoteFromJson(remote, what));
    r.remote = rec;
  }
  if (r.path.empty() && r.cachedKey.empty()) {
    return Error{"malformed fetcher result: neither `path` nor `cached_key`"};
  }
  if (!r.path.empty() && r.path.front() != '/') {
    return Error{"malformed fetcher result: `path` is not absolute: `" + r.path + "`"};
  }
  return r;
}

Result<FetcherClient> FetcherClient::open(plugin::PluginRegistry& registry,
                                          const std::string& name) {
  Result<plugin::Factory> factory = registry.get(RKT_KIND_FETCHER, name);
  if (!factory) {
    return factory.error();
  }
  Result<plugin::Instance> instance = factory->create("{}");
  if (!instance) {
    return instance.error();
  }
  return FetcherClient(std::move(*instance));
}

Result<FetchResult> FetcherClient::fetch(const FetchRequest& request) const {
  const rkt_fetcher_ops& ops = instance_.ops<rkt_fetcher_ops>();
  if (ops.fetch == nullptr) {
    return Error{instance_.factory().displayName() + " does not support `fetch`"};
  }
  const std::string req = fetchRequestJson(request);
  rkt_error err;
  rkt_buffer out;
  const rkt_status status =
      instance_.call(err, &rkt_fetcher_ops::fetch, req.data(), req.size(), &out);
  if (status != RKT_OK) {
    return plugin::errorFromPlugin(status, err, instance_.factory().displayName() + " failed");
  }
  return parseFetchResult(out.bytes);
}

}  // namespace rkt::image
