#include "auth_header.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/String.h>

#include <sstream>

#include "rkt/sdk/plugin.hpp"

namespace rkt::aciarchive {
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

std::string authorizationFor(const Poco::URI& uri, const std::vector<AuthEntry>& auth) {
  if (Poco::toLower(uri.getScheme()) != "https") {
    return {};  // never send credentials in the clear
  }
  const std::string host = hostKey(uri);
  for (const AuthEntry& e : auth) {
    bool matches = false;
    for (const std::string& d : e.domains) {
      matches = matches || Poco::toLower(d) == host;
    }
    if (!matches) {
      continue;
    }
    if (e.type == "basic") {
      return "Basic " + base64(credential(e, "user", host) + ":" + credential(e, "password", host));
    }
    if (e.type == "oauth") {
      return "Bearer " + credential(e, "token", host);
    }
    if (e.type == "aws") {
      throw sdk::Error(RKT_E_UNSUPPORTED, "cannot authenticate to `" + host +
                                              "`: aws credentials (SigV4 signing) are not "
                                              "supported yet");
    }
    throw sdk::Error(RKT_E_INVALID,
                     "cannot authenticate to `" + host + "`: unknown auth type `" + e.type + "`");
  }
  return {};
}

}  // namespace rkt::aciarchive
