#include "registry_session.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <sstream>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/fetch/remote_image.hpp"
#include "rkt/support/fetch/stall_timeout.hpp"

namespace rkt::dockerfetcher {
namespace {

constexpr std::size_t kMaxTokenSize = 1u << 20;

http::HttpOptions clientOptions(const protocol::fetcher::FetchRequest& req) {
  http::HttpOptions o;
  o.insecureTls = req.insecure.tls;
  o.allowHttp = req.insecure.http;
  o.userAgent = fetch::userAgent();
  o.stallTimeout = fetch::stallTimeoutOf(req);
  // auth.d `auth` entries are for image URLs; registries get their dockerAuth credentials.
  return o;
}

std::string base64(const std::string& s) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc << s;
  enc.close();
  return out.str();
}

}  // namespace

std::optional<BasicCredentials> credentialsFor(
    const std::string& registry, const std::vector<protocol::fetcher::DockerAuthEntry>& entries) {
  for (const auto& e : entries) {
    for (const std::string& r : e.registries) {
      if (!sameRegistry(r, registry)) {
        continue;
      }
      auto user = e.credentials.find("user");
      auto password = e.credentials.find("password");
      if (user == e.credentials.end() || password == e.credentials.end()) {
        throw sdk::Error(RKT_E_INVALID, "dockerAuth credentials for registry `" + registry +
                                            "` lack a user or a password");
      }
      return BasicCredentials{user->second, password->second};
    }
  }
  return std::nullopt;
}

std::map<std::string, std::string> parseChallenge(const std::string& header) {
  std::map<std::string, std::string> out;
  std::size_t i = header.find_first_not_of(' ');
  const std::size_t schemeEnd = header.find(' ', i == std::string::npos ? 0 : i);
  out[""] = Poco::toLower(header.substr(i == std::string::npos ? 0 : i, schemeEnd - i));
  i = schemeEnd;
  while (i != std::string::npos && i < header.size()) {
    i = header.find_first_not_of(" ,", i);
    if (i == std::string::npos) {
      break;
    }
    const std::size_t eq = header.find('=', i);
    if (eq == std::string::npos) {
      break;
    }
    std::string name = Poco::toLower(Poco::trim(header.substr(i, eq - i)));
    std::string value;
    i = eq + 1;
    if (i < header.size() && header[i] == '"') {
      for (++i; i < header.size() && header[i] != '"'; ++i) {
        if (header[i] == '\\' && i + 1 < header.size()) {
          ++i;
        }
        value += header[i];
      }
      ++i;  // the closing quote
    } else {
      const std::size_t end = header.find(',', i);
      value = Poco::trim(header.substr(i, end - i));
      i = end;
    }
    out[name] = value;
  }
  return out;
}

std::string readBody(http::HttpResponse& response, std::size_t maxSize) {
  if (response.contentLength() > static_cast<int64_t>(maxSize)) {
    throw sdk::Error(RKT_E_INVALID, "response larger than " + std::to_string(maxSize) + " bytes");
  }
  std::string body;
  char buf[16384];
  try {
    while (response.body()) {
      response.body().read(buf, sizeof buf);
      body.append(buf, static_cast<std::size_t>(response.body().gcount()));
      if (body.size() > maxSize) {
        throw sdk::Error(RKT_E_INVALID,
                         "response larger than " + std::to_string(maxSize) + " bytes");
      }
    }
  } catch (const sdk::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw sdk::Error(RKT_E_NETWORK, response.describeError(e));
  }
  if (response.contentLength() >= 0 &&
      body.size() != static_cast<std::size_t>(response.contentLength())) {
    throw sdk::Error(RKT_E_NETWORK, "unexpected end of data after " + std::to_string(body.size()) +
                                        " of " + std::to_string(response.contentLength()) +
                                        " bytes");
  }
  return body;
}

RegistrySession::RegistrySession(DockerReference ref, const protocol::fetcher::FetchRequest& req)
    : ref_(std::move(ref)),
      // docker2aci: plain http when --insecure-options=http allows it, else https.
      scheme_(req.insecure.http ? "http" : "https"),
      allowHttp_(req.insecure.http),
      credentials_(credentialsFor(ref_.registry, req.dockerAuth)),
      client_(clientOptions(req)) {}

Poco::URI RegistrySession::url(const std::string& what) const {
  return Poco::URI(scheme_ + "://" + ref_.registry + "/v2/" + ref_.repository + "/" + what);
}

std::string RegistrySession::authorization() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return authorization_;
}

std::unique_ptr<http::HttpResponse> RegistrySession::send(const std::string& method,
                                                          const Poco::URI& url,
                                                          const http::HeaderList& headers) {
  for (int round = 0;; ++round) {
    const std::string auth = authorization();
    http::HeaderList h = headers;
    if (!auth.empty()) {
      h.emplace_back("Authorization", auth);
    }
    std::unique_ptr<http::HttpResponse> response = client_.send(method, url, h);
    if (response->status() != 401 || round > 0) {
      return response;
    }
    authenticate(*response, auth);
  }
}

void RegistrySession::authenticate(const http::HttpResponse& challenge,
                                   const std::string& failedWith) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (authorization_ != failedWith) {
    return;  // another layer's request authenticated meanwhile
  }
  const std::string header = challenge.get("WWW-Authenticate");
  std::map<std::string, std::string> params = parseChallenge(header);
  const std::string& scheme = params[""];
  if (scheme == "basic") {
    if (!credentials_) {
      throw sdk::Error(RKT_E_PERMISSION, "registry `" + ref_.registry +
                                             "` requires credentials (add a dockerAuth entry "
                                             "for it in auth.d)");
    }
    authorization_ = "Basic " + base64(credentials_->user + ":" + credentials_->password);
    return;
  }
  if (scheme != "bearer" || params["realm"].empty()) {
    throw sdk::Error(RKT_E_PERMISSION, "registry `" + ref_.registry +
                                           "` refused access with an unsupported challenge `" +
                                           header + "`");
  }
  Poco::URI realm;
  try {
    realm = Poco::URI(params["realm"]);
  } catch (const std::exception& e) {
    throw sdk::Error(RKT_E_NETWORK, "invalid token realm `" + params["realm"] + "`");
  }
  const std::string realmScheme = Poco::toLower(realm.getScheme());
  if (realmScheme != "https" && !(realmScheme == "http" && allowHttp_)) {
    throw sdk::Error(RKT_E_PERMISSION, "token realm `" + params["realm"] +
                                           "` is not https (use --insecure-options=http)");
  }
  if (!params["service"].empty()) {
    realm.addQueryParameter("service", params["service"]);
  }
  realm.addQueryParameter("scope", params["scope"].empty()
                                       ? "repository:" + ref_.repository + ":pull"
                                       : params["scope"]);
  http::HeaderList h;
  if (credentials_) {
    h.emplace_back("Authorization",
                   "Basic " + base64(credentials_->user + ":" + credentials_->password));
  }
  std::unique_ptr<http::HttpResponse> r = client_.send("GET", realm, h);
  if (r->status() != 200) {
    throw sdk::Error(RKT_E_PERMISSION,
                     "token server `" + realm.toString() + "` refused a token: " + r->statusLine());
  }
  std::string body = readBody(*r, kMaxTokenSize);
  std::string token;
  try {
    Poco::JSON::Object::Ptr o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    token = o->optValue<std::string>("token", o->optValue<std::string>("access_token", ""));
  } catch (const std::exception&) {
    throw sdk::Error(RKT_E_NETWORK, "token server `" + realm.toString() + "` sent no JSON token");
  }
  if (token.empty()) {
    throw sdk::Error(RKT_E_NETWORK, "token server `" + realm.toString() + "` sent no token");
  }
  sdk::log(RKT_LOG_DEBUG, "got a registry token from " + realm.toString());
  authorization_ = "Bearer " + token;
}

}  // namespace rkt::dockerfetcher
