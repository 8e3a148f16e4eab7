// One repository of one registry over the distribution API v2, through support/http's client:
// the scheme (https; http with --insecure-options=http), and the authentication a registry asks
// for in its 401's WWW-Authenticate: `Basic` with the dockerAuth credentials of the registry, or
// `Bearer realm=…,service=…,scope=…`, a token from the realm (with those credentials when
// there are some, anonymous otherwise) sent as `Authorization: Bearer <token>`. The header goes
// only to the registry: support/http drops it when a blob request is redirected to another host.
#ifndef RKT_PLUGINS_DOCKER_REGISTRY_SESSION_HPP
#define RKT_PLUGINS_DOCKER_REGISTRY_SESSION_HPP

#include <Poco/URI.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "docker_reference.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/support/http/client.hpp"

namespace rkt::dockerfetcher {

/// "user", "password" of the registry's dockerAuth entry, when there is one.
struct BasicCredentials {
  std::string user;
  std::string password;
};

std::optional<BasicCredentials> credentialsFor(
    const std::string& registry, const std::vector<protocol::fetcher::DockerAuthEntry>& entries);

/// The parameters of a WWW-Authenticate challenge: {"": scheme (lowercase), "realm": …, …}.
std::map<std::string, std::string> parseChallenge(const std::string& header);

/// A body read whole, at most `maxSize` bytes (manifests, tokens); throws rkt::sdk::Error.
std::string readBody(http::HttpResponse& response, std::size_t maxSize);

class RegistrySession {
 public:
  RegistrySession(DockerReference ref, const protocol::fetcher::FetchRequest& req);

  const DockerReference& reference() const { return ref_; }
  /// <scheme>://<registry>/v2/<repository>/<what> (what: "manifests/<ref>", "blobs/<digest>").
  Poco::URI url(const std::string& what) const;
  /// The client every request of this fetch goes through.
  http::HttpClient& client() { return client_; }

  /// GET (or HEAD) `url` with `headers` and the registry's Authorization, authenticating
  /// once on a 401. Any other status is the caller's to judge. Thread-safe.
  std::unique_ptr<http::HttpResponse> send(const std::string& method, const Poco::URI& url,
                                           const http::HeaderList& headers = {});
  /// The Authorization header the registry accepted last ("" for none yet).
  std::string authorization() const;

 private:
  void authenticate(const http::HttpResponse& challenge, const std::string& failedWith);

  DockerReference ref_;
  std::string scheme_;
  bool allowHttp_;
  std::optional<BasicCredentials> credentials_;
  http::HttpClient client_;
  mutable std::mutex mutex_;
  std::string authorization_;
};

}  // namespace rkt::dockerfetcher

#endif  // RKT_PLUGINS_DOCKER_REGISTRY_SESSION_HPP
