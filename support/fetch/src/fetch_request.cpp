#include "rkt/support/fetch/fetch_request.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "rkt/sdk/plugin.hpp"

namespace rkt::fetch {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

[[noreturn]] void invalid(const std::string& what) {
  throw sdk::Error(RKT_E_INVALID, "invalid fetch request: " + what);
}

// Field readers: absent and null mean "not given"; any other wrong type is an error naming
// the field, so a core/plugin mismatch shows up instead of being silently ignored.
std::string stringField(const Object::Ptr& obj, const std::string& key, const std::string& path) {
  if (!obj->has(key) || obj->isNull(key)) {
    return {};
  }
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isString()) {
    invalid("`" + path + key + "` must be a string");
  }
  return v.extract<std::string>();
}

bool boolField(const Object::Ptr& obj, const std::string& key, const std::string& path) {
  if (!obj->has(key) || obj->isNull(key)) {
    return false;
  }
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isBoolean()) {
    invalid("`" + path + key + "` must be a boolean");
  }
  return v.convert<bool>();
}

int64_t intField(const Object::Ptr& obj, const std::string& key, const std::string& path) {
  if (!obj->has(key) || obj->isNull(key)) {
    return 0;
  }
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isInteger()) {
    invalid("`" + path + key + "` must be an integer");
  }
  return v.convert<Poco::Int64>();
}

Object::Ptr objectField(const Object::Ptr& obj, const std::string& key, const std::string& path) {
  if (!obj->has(key) || obj->isNull(key)) {
    return nullptr;
  }
  Object::Ptr o = obj->getObject(key);
  if (o.isNull()) {
    invalid("`" + path + key + "` must be an object");
  }
  return o;
}

AuthEntry parseAuth(const Poco::Dynamic::Var& v, size_t index) {
  std::string path = "auth[" + std::to_string(index) + "].";
  if (v.type() != typeid(Object::Ptr)) {
    invalid("`auth[" + std::to_string(index) + "]` must be an object");
  }
  auto obj = v.extract<Object::Ptr>();
  AuthEntry entry;
  entry.type = stringField(obj, "type", path);
  if (obj->has("domains")) {
    Array::Ptr domains = obj->getArray("domains");
    if (domains.isNull()) {
      invalid("`" + path + "domains` must be an array of strings");
    }
    for (size_t i = 0; i < domains->size(); ++i) {
      Poco::Dynamic::Var d = domains->get(static_cast<unsigned>(i));
      if (!d.isString()) {
        invalid("`" + path + "domains` must be an array of strings");
      }
      entry.domains.push_back(d.extract<std::string>());
    }
  }
  if (Object::Ptr creds = objectField(obj, "credentials", path)) {
    for (const auto& [name, value] : *creds) {
      if (!value.isString()) {
        invalid("`" + path + "credentials." + name + "` must be a string");
      }
      entry.credentials[name] = value.extract<std::string>();
    }
  }
  return entry;
}

}  // namespace

FetchRequest parseFetchRequest(const std::string& json) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(json);
    if (parsed.type() != typeid(Object::Ptr)) {
      invalid("not a JSON object");
    }
    root = parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    invalid(e.displayText());
  }

  FetchRequest req;
  req.image = stringField(root, "image", "");
  if (req.image.empty()) {
    invalid("`image` is missing");
  }
  req.tmpDir = stringField(root, "tmp_dir", "");
  req.signature = stringField(root, "signature", "");
  req.debug = boolField(root, "debug", "");
  if (int64_t stall = intField(root, "http_stall_timeout_ms", ""); stall > 0) {
    req.stallTimeout = std::chrono::milliseconds(stall);
  }
  if (Object::Ptr ins = objectField(root, "insecure", "")) {
    req.insecure.image = boolField(ins, "image", "insecure.");
    req.insecure.tls = boolField(ins, "tls", "insecure.");
    req.insecure.http = boolField(ins, "http", "insecure.");
    req.insecure.pubkey = boolField(ins, "pubkey", "insecure.");
  }
  if (root->has("auth") && !root->isNull("auth")) {
    Array::Ptr auth = root->getArray("auth");
    if (auth.isNull()) {
      invalid("`auth` must be an array");
    }
    for (size_t i = 0; i < auth->size(); ++i) {
      req.auth.push_back(parseAuth(auth->get(static_cast<unsigned>(i)), i));
    }
  }
  if (Object::Ptr rem = objectField(root, "remote", "")) {
    RemoteRecord r;
    r.url = stringField(rem, "url", "remote.");
    r.sigUrl = stringField(rem, "sig_url", "remote.");
    r.etag = stringField(rem, "etag", "remote.");
    r.key = stringField(rem, "key", "remote.");
    r.cacheMaxAge = intField(rem, "cache_max_age", "remote.");
    r.downloadTime = intField(rem, "download_time", "remote.");
    req.remote = r;
  }
  return req;
}

std::string toJson(const FetchResult& result) {
  Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  if (!result.path.empty()) {
    out.set("path", result.path);
  }
  if (!result.signaturePath.empty()) {
    out.set("signature_path", result.signaturePath);
  }
  if (!result.cachedKey.empty()) {
    out.set("cached_key", result.cachedKey);
  }
  if (result.remote) {
    Object::Ptr rem = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    rem->set("url", result.remote->url);
    rem->set("sig_url", result.remote->sigUrl);
    rem->set("etag", result.remote->etag);
    rem->set("cache_max_age", static_cast<Poco::Int64>(result.remote->cacheMaxAge));
    rem->set("download_time", static_cast<Poco::Int64>(result.remote->downloadTime));
    out.set("remote", rem);
  }
  out.set("latest", result.latest);
  std::ostringstream s;
  out.stringify(s);
  return s.str();
}

}  // namespace rkt::fetch
