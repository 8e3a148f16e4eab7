#include "appc_fetcher.hpp"

#include <Poco/URI.h>

#include <sstream>

#include "aci-archive/http_client.hpp"
#include "aci-archive/remote_image.hpp"
#include "rkt/discovery/discovery.hpp"

namespace rkt::appcfetcher {
namespace {

constexpr size_t kMaxPage = 4u << 20;  // discovery pages are small; refuse to buffer more

std::string userAgent() {
  const rkt_host_api* host = sdk::host();
  std::string version =
      host != nullptr && host->host_version != nullptr ? host->host_version : "unknown";
  return "rkt/" + version;
}

}  // namespace

AppcFetcher::AppcFetcher(const std::string& /*configJson*/) {}

std::string AppcFetcher::fetch(const std::string& requestJson) {
  const auto req = protocol::decode<protocol::fetcher::FetchRequest>(requestJson);
  Result<discovery::App> app = discovery::parseApp(req.image);
  if (!app) {
    throw sdk::Error(RKT_E_INVALID, app.error().message);
  }
  const std::string name = app->name;
  sdk::log(RKT_LOG_INFO, "searching for app image " + name);

  aciarchive::HttpOptions options;
  options.insecureTls = req.insecure.tls;
  options.allowHttp = req.insecure.http;
  options.userAgent = userAgent();
  options.auth = req.auth;
  options.connectTimeout = std::chrono::seconds(5);  // appc discovery's dial timeout
  options.stallTimeout = aciarchive::stallTimeoutOf(req);
  aciarchive::HttpClient client(options);

  discovery::PageFetcher page = [&](const std::string& url) -> Result<discovery::Page> {
    try {
      auto response = client.send("GET", Poco::URI(url));
      discovery::Page p;
      p.status = response->status();
      if (p.status == 200) {
        std::ostringstream body;
        char buf[16384];
        while (response->body().read(buf, sizeof buf) || response->body().gcount() > 0) {
          p.body.append(buf, static_cast<size_t>(response->body().gcount()));
          if (p.body.size() > kMaxPage) {
            return Error{"discovery page larger than " + std::to_string(kMaxPage) + " bytes"};
          }
        }
      }
      return p;
    } catch (const sdk::Error& e) {
      return Error{e.what()};
    } catch (const std::exception& e) {
      return Error{aciarchive::describeHttpError(e, options.stallTimeout)};
    }
  };

  std::vector<discovery::FailedAttempt> attempts;
  auto endpoints = discovery::discoverEndpoints(*app, page, {req.insecure.http}, &attempts);
  for (const auto& a : attempts) {
    sdk::log(RKT_LOG_DEBUG, "meta tag 'ac-discovery' not found on " + a.prefix + ": " + a.error);
  }
  if (!endpoints) {
    throw sdk::Error(RKT_E_NOT_FOUND,
                     "discovery failed for \"" + name + "\": " + endpoints.error().message);
  }
  // rkt uses the first endpoint only.
  const discovery::AciEndpoint& ep = endpoints->aci.front();
  sdk::log(RKT_LOG_INFO, "remote fetching from URL \"" + ep.aci + "\"");
  Poco::URI aciUrl;
  try {
    aciUrl = Poco::URI(ep.aci);
  } catch (const std::exception& e) {
    throw sdk::Error(RKT_E_INVALID, "invalid discovered URL `" + ep.aci + "`: " + e.what());
  }
  std::string scheme = aciUrl.getScheme();
  if ((scheme != "https" && scheme != "http") || aciUrl.getHost().empty()) {
    throw sdk::Error(RKT_E_INVALID, "discovered URL `" + ep.aci + "` is not an http(s) URL");
  }
  protocol::fetcher::FetchResult result =
      aciarchive::fetchRemoteImage(aciUrl, req, userAgent(), ep.asc);
  // No version label asked for: the image becomes the name's "latest".
  result.latest = app->labels.find("version") == app->labels.end();
  return protocol::encode(result);
}

}  // namespace rkt::appcfetcher
