// Looking up credentials in a loaded configuration.
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <sstream>

#include "rkt/core/config.hpp"

namespace rkt::config {

namespace {

std::string base64(const std::string& data) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);  // a header value must be one line
  encoder << data;
  encoder.close();
  return out.str();
}

// host[:port] of a URL as Go's url.URL.Host has it, which is what auth.d domains are matched
// against: the port only when the URL names one, IPv6 literals in brackets.
std::string hostOf(const Poco::URI& uri) {
  std::string host = uri.getHost();
  if (host.find(':') != std::string::npos) {
    host = "[" + host + "]";
  }
  if (uri.getSpecifiedPort() != 0) {
    host += ":" + std::to_string(uri.getSpecifiedPort());
  }
  return host;
}

}  // namespace

std::string authTypeName(const AuthCredentials& credentials) {
  switch (credentials.index()) {
    case 0:
      return "basic";
    case 1:
      return "oauth";
    default:
      return "aws";
  }
}

const AuthCredentials* authFor(const Config& config, const std::string& host) {
  auto it = config.authPerHost.find(host);
  return it == config.authPerHost.end() ? nullptr : &it->second;
}

HttpHeaders authHeaders(const Config& config, const std::string& host) {
  const AuthCredentials* credentials = authFor(config, host);
  if (credentials == nullptr) {
    return {};
  }
  if (const auto* basic = std::get_if<BasicCredentials>(credentials)) {
    return {{"Authorization", "Basic " + base64(basic->user + ":" + basic->password)}};
  }
  if (const auto* oauth = std::get_if<OAuthCredentials>(credentials)) {
    return {{"Authorization", "Bearer " + oauth->token}};
  }
  return {};  // aws: the request itself must be signed
}

HttpHeaders authHeadersForUrl(const Config& config, const std::string& url) {
  try {
    const Poco::URI uri(url);
    if (uri.getScheme() != "https") {
      return {};
    }
    return authHeaders(config, hostOf(uri));
  } catch (const Poco::Exception&) {
    return {};
  }
}

std::optional<BasicCredentials> dockerCredentials(const Config& config,
                                                  const std::string& registry) {
  auto it = config.dockerCredentialsPerRegistry.find(registry);
  if (it == config.dockerCredentialsPerRegistry.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace rkt::config
