#include "appc_fetcher.hpp"

#include <Poco/URI.h>

#include "rkt/discovery/discovery.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/support/fetch/remote_image.hpp"
#include "rkt/support/fetch/stall_timeout.hpp"
#include "rkt/support/http/client.hpp"
#include "rkt/support/http/page.hpp"

namespace rkt::appcfetcher {

AppcFetcher::AppcFetcher(const std::string& /*configJson*/) {}

std::string AppcFetcher::fetch(const std::string& requestJson) {
  const auto req = protocol::decode<protocol::fetcher::FetchRequest>(requestJson);
  Result<discovery::App> app = discovery::parseApp(req.image);
  if (!app) {
    throw sdk::Error(RKT_E_INVALID, app.error().message);
  }
  const std::string name = app->name;
  sdk::log(RKT_LOG_INFO, "searching for app image " + name);

  http::HttpOptions options;
  options.insecureTls = req.insecure.tls;
  options.allowHttp = req.insecure.http;
  options.userAgent = fetch::userAgent();
  options.auth = req.auth;
  options.connectTimeout = std::chrono::seconds(5);  // appc discovery's dial timeout
  options.stallTimeout = fetch::stallTimeoutOf(req);
  http::HttpClient client(options);

  discovery::PageFetcher page = [&](const std::string& url) -> Result<discovery::Page> {
    try {
      http::Page p = http::getPage(client, url);
      return discovery::Page{p.status, std::move(p.body)};
    } catch (const std::exception& e) {
      return Error{e.what()};
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
  fetch::FetchResult result = fetch::fetchRemoteImage(aciUrl, req, fetch::userAgent(), ep.asc);
  // No version label asked for: the image becomes the name's "latest".
  result.latest = app->labels.find("version") == app->labels.end();
  return protocol::encode(result);
}

}  // namespace rkt::appcfetcher
