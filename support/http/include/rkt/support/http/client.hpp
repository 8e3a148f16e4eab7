// rkt's HTTP(S) client, on Poco Net / NetSSL, for the fetchers' downloads and the core's own
// requests (rkt-http.so: keys and discovery pages for `rkt trust`): TLS verification against
// the system CA store (or none, --insecure-options=tls), rkt's redirect and credential rules,
// proxies from the environment, the stall timeout (--http-stall-timeout).
#ifndef RKT_SUPPORT_HTTP_CLIENT_HPP
#define RKT_SUPPORT_HTTP_CLIENT_HPP

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <chrono>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rkt/base/stall_timeout.hpp"
#include "rkt/support/http/auth.hpp"

namespace rkt::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpOptions {
  /// Accept any certificate and host name (--insecure-options=tls).
  bool insecureTls = false;
  /// Allow plain http as a redirect target (--insecure-options=http).
  bool allowHttp = false;
  /// The flag that sets allowHttp, named when a redirect to http is refused.
  std::string allowHttpFlag = "--insecure-options=http";
  /// Sent as User-Agent on every request ("rkt/<version>").
  std::string userAgent;
  /// auth.d entries; see credentialHeadersFor().
  std::vector<AuthEntry> auth;
  std::chrono::seconds connectTimeout{30};
  /// Longest silence tolerated while sending or receiving (--http-stall-timeout): every read
  /// and write waits this long at most, then fails with "no data for 60s from `<url>`".
  std::chrono::milliseconds stallTimeout = kDefaultStallTimeout;
  /// Longest time one send() and the reading of its body may take, redirects included; zero
  /// for none (downloads: only the stall timeout applies).
  std::chrono::seconds totalTimeout{0};
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
  /// HttpOptions::totalTimeout, and when the whole exchange must be over if that is not zero.
  std::chrono::seconds totalTimeout() const { return totalTimeout_; }
  std::optional<std::chrono::steady_clock::time_point> deadline() const { return deadline_; }
  /// Why reading the body failed, naming this response's URL: "no data for 60s from `<url>`"
  /// for a stall, else describePocoError.
  std::string describeError(const std::exception& e) const;

 private:
  friend class HttpClient;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  Poco::Net::HTTPResponse response_;
  std::istream* body_ = nullptr;
  Poco::URI url_;
  std::chrono::milliseconds stallTimeout_{0};
  std::chrono::seconds totalTimeout_{0};
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends `method` (GET or HEAD) to `url` (http or https) with `headers` plus User-Agent and,
  /// for https URLs with auth.d credentials, Authorization. Follows up to 10 redirects, keeping
  /// the headers but dropping Authorization (auth.d's, and one in `headers`) once the
  /// host[:port] differs from the original one; auth.d's also when the scheme is not https. Throws
  /// rkt::sdk::Error with the cause (callers name the URL they asked for): refused plain-http
  /// redirects, too many redirects, connection and TLS failures, "no data for 60s from `<url>`" and
  /// "no complete response within 120s from
  /// `<url>`" naming the URL that stopped answering.
  std::unique_ptr<HttpResponse> send(const std::string& method, const Poco::URI& url,
                                     const HeaderList& headers = {});

 private:
  /// A session to `url`'s host (or its proxy); no wait longer than `left`.
  std::unique_ptr<Poco::Net::HTTPClientSession> openSession(const Poco::URI& url,
                                                            std::chrono::milliseconds left);

  HttpOptions options_;
  Poco::Net::Context::Ptr tls_;
};

/// A Poco exception's message as one lowercase line ("connection refused: 127.0.0.1:80").
std::string describePocoError(const std::exception& e);

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_CLIENT_HPP
