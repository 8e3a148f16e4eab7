// HTTP(S) requests for image downloads, on Poco Net / NetSSL: TLS verification against the
// system CA store, rkt's redirect and credential rules, proxies from the environment.
#ifndef RKT_PLUGINS_ACI_ARCHIVE_HTTP_CLIENT_HPP
#define RKT_PLUGINS_ACI_ARCHIVE_HTTP_CLIENT_HPP

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <chrono>
#include <istream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rkt/sdk/protocol/fetcher.hpp"

namespace rkt::aciarchive {

using protocol::fetcher::AuthEntry;

/// How long a transfer may receive nothing when the request does not say (--http-stall-timeout).
inline constexpr std::chrono::milliseconds kDefaultStallTimeout{60'000};

/// The request's `http_stall_timeout_ms`, or kDefaultStallTimeout when it has none.
inline std::chrono::milliseconds stallTimeoutOf(const protocol::fetcher::FetchRequest& request) {
  return request.httpStallTimeoutMs > 0 ? std::chrono::milliseconds(request.httpStallTimeoutMs)
                                        : kDefaultStallTimeout;
}

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpOptions {
  /// Accept any certificate and host name (--insecure-options=tls).
  bool insecureTls = false;
  /// Allow plain http, also as a redirect target (--insecure-options=http).
  bool allowHttp = false;
  /// Sent as User-Agent on every request ("rkt/<version>").
  std::string userAgent;
  /// auth.d entries; see authorizationFor().
  std::vector<AuthEntry> auth;
  std::chrono::seconds connectTimeout{30};
  /// Longest silence tolerated while sending or receiving (--http-stall-timeout): every read
  /// and write waits this long at most, then fails with "no data for 60s".
  std::chrono::milliseconds stallTimeout = kDefaultStallTimeout;
};

/// A response whose body has not been read yet. Keeps its connection open until destroyed.
class HttpResponse {
 public:
  HttpResponse(std::unique_ptr<Poco::Net::HTTPClientSession> session, Poco::URI url);
  HttpResponse(const HttpResponse&) = delete;
  HttpResponse& operator=(const HttpResponse&) = delete;

  int status() const { return static_cast<int>(response_.getStatus()); }
  /// "404 Not Found"
  std::string statusLine() const;
  const Poco::Net::HTTPResponse& header() const { return response_; }
  /// The header's value, "" when absent.
  std::string get(const std::string& name) const;
  /// Content-Length, or -1 when the server did not say.
  int64_t contentLength() const { return response_.getContentLength64(); }
  /// The body. Read errors throw (badbit is an exception); a body cut short simply ends:
  /// compare what you read with contentLength().
  std::istream& body() { return *body_; }
  /// The URL that produced this response (after redirects).
  const Poco::URI& url() const { return url_; }
  /// What a read of the body waits at most (HttpOptions::stallTimeout).
  std::chrono::milliseconds stallTimeout() const { return stallTimeout_; }

 private:
  friend class HttpClient;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  Poco::Net::HTTPResponse response_;
  std::istream* body_ = nullptr;
  Poco::URI url_;
  std::chrono::milliseconds stallTimeout_{0};
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends `method` (GET or HEAD) to `url` with `headers` plus User-Agent and, for https
  /// URLs with auth.d credentials, Authorization. Follows up to 10 redirects, keeping the
  /// headers but dropping Authorization once the host[:port] differs from the original one or
  /// the scheme is not https. Throws rkt::sdk::Error with the cause only (callers name the
  /// URL): refused plain-http redirects, too many redirects, connection and TLS failures.
  std::unique_ptr<HttpResponse> send(const std::string& method, const Poco::URI& url,
                                     const HeaderList& headers = {});

 private:
  std::unique_ptr<Poco::Net::HTTPClientSession> openSession(const Poco::URI& url);

  HttpOptions options_;
  Poco::Net::Context::Ptr tls_;
};

/// A Poco exception's message as one lowercase line ("connection refused: 127.0.0.1:80").
std::string describePocoError(const std::exception& e);

/// describePocoError, except that a read or write that timed out after `stallTimeout` is
/// "no data for 60s".
std::string describeHttpError(const std::exception& e, std::chrono::milliseconds stallTimeout);

}  // namespace rkt::aciarchive

#endif  // RKT_PLUGINS_ACI_ARCHIVE_HTTP_CLIENT_HPP
