#include "rkt/support/http/auth.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/String.h>

#include <sstream>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/http/aws_sigv4.hpp"

namespace rkt::http {
namespace {

std::string base64(const std::string& s) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);  // one line: it goes into a header
  enc << s;
  enc.close();
  return out.str();
}

std::string credential(const AuthEntry& e, const std::string& name, const std::string& host) {
  auto it = e.credentials.find(name);
  if (it == e.credentials.end() || it->second.empty()) {
    throw sdk::Error(RKT_E_INVALID, "cannot authenticate to `" + host + "`: " + e.type +
                                        " credentials have no `" + name + "`");
  }
  return it->second;
}

}  // namespace

std::string hostKey(const Poco::URI& uri) {
  std::string host = Poco::toLower(uri.getHost());
  if (host.find(':') != std::string::npos) {
    host = "[" + host + "]";  // IPv6 literal, as it appears in a URL
  }
  if (uri.getSpecifiedPort() != 0) {
    host += ":" + std::to_string(uri.getSpecifiedPort());
  }
  return host;
}

namespace {

// The entry whose domains name the URL's host[:port] exactly, for https URLs only.
const AuthEntry* entryFor(const Poco::URI& uri, const std::vector<AuthEntry>& auth) {
  if (Poco::toLower(uri.getScheme()) != "https") {
    return nullptr;  // never send credentials in the clear
  }
  const std::string host = hostKey(uri);
  for (const AuthEntry& e : auth) {
    for (const std::string& d : e.domains) {
      if (Poco::toLower(d) == host) {
        return &e;
      }
    }
  }
  return nullptr;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> credentialHeadersFor(
    const std::string& method, const Poco::URI& uri, const std::vector<AuthEntry>& auth,
    std::time_t now) {
  const AuthEntry* e = entryFor(uri, auth);
  if (e == nullptr) {
    return {};
  }
  if (e->type == "aws") {
    const std::string host = hostKey(uri);
    AwsCredentials creds;
    creds.accessKeyId = credential(*e, "accessKeyID", host);
    creds.secretAccessKey = credential(*e, "secretAccessKey", host);
    auto region = e->credentials.find("awsRegion");
    if (region != e->credentials.end()) {
      creds.region = region->second;
    }
    return s3SignedHeaders(method, uri, creds, now);
  }
  std::string value = authorizationFor(uri, auth);
  if (value.empty()) {
    return {};
  }
  return {{"Authorization", value}};
}

std::string authorizationFor(const Poco::URI& uri, const std::vector<AuthEntry>& auth) {
  const AuthEntry* entry = entryFor(uri, auth);
  if (entry == nullptr) {
    return {};
  }
  const std::string host = hostKey(uri);
  const AuthEntry& e = *entry;
  if (e.type == "basic") {
    return "Basic " + base64(credential(e, "user", host) + ":" + credential(e, "password", host));
  }
  if (e.type == "oauth") {
    return "Bearer " + credential(e, "token", host);
  }
  if (e.type == "aws") {
    return {};  // signed per request: credentialHeadersFor
  }
  throw sdk::Error(RKT_E_INVALID,
                   "cannot authenticate to `" + host + "`: unknown auth type `" + e.type + "`");
}

}  // namespace rkt::http
