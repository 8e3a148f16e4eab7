// `rkt config` output: the merged configuration as valid configuration entries.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "rkt/core/config.hpp"
#include "util/json_indent.hpp"

namespace rkt::config {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Entries keep rkt's field order (rktVersion, rktKind, ...), hence insertion-ordered objects.
Object::Ptr entry(const std::string& kind) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("rktVersion", "v1");
  o->set("rktKind", kind);
  return o;
}

Object::Ptr ordered() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Array::Ptr single(const std::string& value) {
  Array::Ptr a = new Array();
  a->add(value);
  return a;
}

Object::Ptr basicObject(const BasicCredentials& basic) {
  Object::Ptr o = ordered();
  o->set("user", basic.user);
  o->set("password", basic.password);
  return o;
}

Object::Ptr credentialsObject(const AuthCredentials& credentials) {
  if (const auto* basic = std::get_if<BasicCredentials>(&credentials)) {
    return basicObject(*basic);
  }
  Object::Ptr o = ordered();
  if (const auto* oauth = std::get_if<OAuthCredentials>(&credentials)) {
    o->set("token", oauth->token);
  } else if (const auto* aws = std::get_if<AwsCredentials>(&credentials)) {
    o->set("accessKeyID", aws->accessKeyId);
    o->set("secretAccessKey", aws->secretAccessKey);
    o->set("awsRegion", aws->awsRegion);
  }
  return o;
}

}  // namespace

std::string toJson(const Config& config, bool pretty) {
  Array::Ptr stage0 = new Array();
  // rkt printed in Go map order (random); std::map gives domain / registry order instead.
  for (const auto& [domain, credentials] : config.authPerHost) {
    Object::Ptr o = entry("auth");
    o->set("domains", single(domain));
    o->set("type", authTypeName(credentials));
    o->set("credentials", credentialsObject(credentials));
    stage0->add(o);
  }
  for (const auto& [registry, credentials] : config.dockerCredentialsPerRegistry) {
    Object::Ptr o = entry("dockerAuth");
    o->set("registries", single(registry));
    o->set("credentials", basicObject(credentials));
    stage0->add(o);
  }
  Object::Ptr paths = entry("paths");
  paths->set("data", config.paths.data);
  paths->set("stage1-images", config.paths.stage1Images);
  if (!config.paths.plugins.empty()) {  // our extension: absent unless configured, as in rkt
    paths->set("plugins", config.paths.plugins);
  }
  stage0->add(paths);
  Object::Ptr stage1 = entry("stage1");
  stage1->set("name", config.stage1.name);
  stage1->set("version", config.stage1.version);
  stage1->set("location", config.stage1.location);
  stage0->add(stage1);

  Object root;
  root.set("stage0", stage0);
  std::ostringstream out;
  root.stringify(out);
  return pretty ? util::indentJson(out.str()) : out.str();
}

}  // namespace rkt::config
