#include "rkt/support/http/proxy.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <cstdlib>

#include "rkt/sdk/plugin.hpp"

namespace rkt::http {
namespace {

std::string env(const char* upper, const char* lower) {
  for (const char* name : {upper, lower}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') {
      return v;
    }
  }
  return {};
}

bool isLoopback(const std::string& host) {
  if (host == "localhost" || Poco::endsWith(host, std::string(".localhost"))) {
    return true;
  }
  Poco::Net::IPAddress ip;
  return Poco::Net::IPAddress::tryParse(host, ip) && ip.isLoopback();
}

bool hostMatches(const std::string& host, std::string pattern) {
  if (pattern.empty()) {
    return false;
  }
  if (pattern[0] == '.') {
    return Poco::endsWith(host, pattern);
  }
  return host == pattern || Poco::endsWith(host, "." + pattern);
}

bool excluded(const Poco::URI& uri, const std::string& host) {
  std::string noProxy = env("NO_PROXY", "no_proxy");
  Poco::StringTokenizer entries(
      noProxy, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (std::string entry : entries) {
    entry = Poco::toLower(entry);
    if (entry == "*") {
      return true;
    }
    std::string pattern = entry;
    std::string port;
    // "host:port", but not a bare IPv6 literal (more than one colon).
    auto colon = entry.rfind(':');
    if (colon != std::string::npos && entry.find(':') == colon) {
      pattern = entry.substr(0, colon);
      port = entry.substr(colon + 1);
    }
    if (!port.empty() && port != std::to_string(uri.getPort())) {
      continue;
    }
    Poco::Net::IPAddress ip;
    if (Poco::Net::IPAddress::tryParse(pattern, ip)) {
      Poco::Net::IPAddress hostIp;
      if (Poco::Net::IPAddress::tryParse(host, hostIp) && hostIp == ip) {
        return true;
      }
      continue;
    }
    if (hostMatches(host, pattern)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<Proxy> proxyFor(const Poco::URI& uri) {
  std::string host = Poco::toLower(uri.getHost());
  if (isLoopback(host)) {
    return std::nullopt;
  }
  bool https = Poco::toLower(uri.getScheme()) == "https";
  std::string setting = https ? env("HTTPS_PROXY", "https_proxy") : env("HTTP_PROXY", "http_proxy");
  if (setting.empty() || excluded(uri, host)) {
    return std::nullopt;
  }
  if (setting.find("://") == std::string::npos) {
    setting = "http://" + setting;
  }
  Poco::URI proxyUri;
  try {
    proxyUri = Poco::URI(setting);
  } catch (const Poco::Exception& e) {
    throw sdk::Error(RKT_E_INVALID, "invalid proxy `" + setting + "`: " + e.displayText());
  }
  if (Poco::toLower(proxyUri.getScheme()) != "http" || proxyUri.getHost().empty()) {
    throw sdk::Error(RKT_E_INVALID,
                     "invalid proxy `" + setting + "`: only http:// proxies are supported");
  }
  Proxy p;
  p.host = proxyUri.getHost();
  p.port = proxyUri.getPort();
  std::string user = proxyUri.getUserInfo();
  if (auto colon = user.find(':'); colon != std::string::npos) {
    p.username = user.substr(0, colon);
    p.password = user.substr(colon + 1);
  } else {
    p.username = user;
  }
  return p;
}

}  // namespace rkt::http
