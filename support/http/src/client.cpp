#include "rkt/support/http/client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

#include <cctype>
#include <ctime>

#include "rkt/base/shorten.hpp"
#include "rkt/base/stall_timeout.hpp"
#include "rkt/sdk/plugin.hpp"
#include "rkt/support/http/auth.hpp"
#include "rkt/support/http/proxy.hpp"

namespace rkt::http {
namespace {

constexpr int kMaxRedirects = 10;  // Go's http.Client limit, which rkt inherits

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

Poco::Timespan timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// "no complete response within 120s from `<url>`": the exchange's total time ran out.
std::string overDeadline(const HttpResponse& response) {
  return "no complete response within " + std::to_string(response.totalTimeout().count()) +
         "s from `" + shownName(response.url().toString()) + "`";
}

Poco::Net::Context::Ptr makeContext(bool insecure) {
  Poco::Net::Context::Params params;
  if (insecure) {
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    params.loadDefaultCAs = false;
  } else {
    // STRICT makes Poco check the host name for loopback peers too (RELAXED skips it there).
    // The default verify paths are OpenSSL's: the system store, overridden by SSL_CERT_FILE /
    // SSL_CERT_DIR like Go's crypto/x509 does for rkt.
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.loadDefaultCAs = true;
  }
  params.cipherList = "DEFAULT";
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
}

}  // namespace

std::string describePocoError(const std::exception& e) {
  std::string msg;
  if (const auto* pe = dynamic_cast<const Poco::Exception*>(&e)) {
    msg = pe->displayText();
  } else {
    msg = e.what();
  }
  for (char& c : msg) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  // "Connection refused" -> "connection refused", but "SSL Exception" stays.
  if (msg.size() > 1 && !std::isupper(static_cast<unsigned char>(msg[1]))) {
    msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
  }
  return msg;
}

HttpResponse::HttpResponse(std::unique_ptr<Poco::Net::HTTPClientSession> session, Poco::URI url)
    : session_(std::move(session)), url_(std::move(url)) {}

std::string HttpResponse::statusLine() const {
  std::string reason = response_.getReason();
  if (reason.empty()) {
    reason = Poco::Net::HTTPResponse::getReasonForStatus(response_.getStatus());
  }
  return std::to_string(status()) + " " + reason;
}

std::string HttpResponse::get(const std::string& name) const {
  return response_.get(name, "");
}

std::string HttpResponse::describeError(const std::exception& e) const {
  if (deadline_ && std::chrono::steady_clock::now() >= *deadline_) {
    return overDeadline(*this);
  }
  if (dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) {
    return noDataFor(stallTimeout_) + " from `" + shownName(url_.toString()) + "`";
  }
  return describePocoError(e);
}

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) {
  Poco::Net::initializeSSL();
}

HttpClient::~HttpClient() {
  tls_.reset();
  Poco::Net::uninitializeSSL();
}

std::unique_ptr<Poco::Net::HTTPClientSession> HttpClient::openSession(
    const Poco::URI& url, std::chrono::milliseconds left) {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (Poco::toLower(url.getScheme()) == "https") {
    if (tls_.isNull()) {
      tls_ = makeContext(options_.insecureTls);
    }
    session = std::make_unique<Poco::Net::HTTPSClientSession>(url.getHost(), url.getPort(), tls_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(url.getHost(), url.getPort());
  }
  if (std::optional<Proxy> proxy = proxyFor(url)) {
    Poco::Net::HTTPClientSession::ProxyConfig config;
    config.host = proxy->host;
    config.port = proxy->port;
    config.username = proxy->username;
    config.password = proxy->password;
    session->setProxyConfig(config);
  }
  // Each wait is cut short by what is left of the whole exchange's time, if it is limited.
  const std::chrono::milliseconds io =
      std::min<std::chrono::milliseconds>(options_.stallTimeout, left);
  session->setTimeout(timespan(std::min<std::chrono::milliseconds>(options_.connectTimeout, left)),
                      timespan(io), timespan(io));
  session->setKeepAlive(false);
  return session;
}

std::unique_ptr<HttpResponse> HttpClient::send(const std::string& method, const Poco::URI& url,
                                               const HeaderList& headers) {
  const std::string scheme = Poco::toLower(url.getScheme());
  if (scheme != "https" && scheme != "http") {
    throw sdk::Error(RKT_E_INVALID, "unsupported URL scheme `" + scheme + "`");
  }
  const std::string originalHost = hostKey(url);
  // Fail early on unusable credentials (missing fields, unknown type).
  authorizationFor(url, options_.auth);
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (options_.totalTimeout.count() > 0) {
    deadline = std::chrono::steady_clock::now() + options_.totalTimeout;
  }
  Poco::URI current = url;
  for (int redirects = 0;; ++redirects) {
    std::chrono::milliseconds left = std::chrono::milliseconds::max();
    if (deadline) {
      left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - std::chrono::steady_clock::now());
    }
    auto response = std::make_unique<HttpResponse>(nullptr, current);
    response->stallTimeout_ = options_.stallTimeout;
    response->totalTimeout_ = options_.totalTimeout;
    response->deadline_ = deadline;
    if (left.count() <= 0) {
      throw sdk::Error(RKT_E_NETWORK, overDeadline(*response));
    }
    response->session_ = openSession(current, left);
    // An empty path is the root, as in Go's RequestURI: `http://host?q` asks for `/?q`.
    std::string target = current.getPathEtc();
    if (target.empty() || target[0] != '/') {
      target.insert(0, "/");
    }
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("User-Agent", options_.userAgent);
    // The caller's own Authorization (a registry's token) stays with the host it was made
    // for, as auth.d's does: a blob redirected to a storage host must not carry it.
    const bool sameHost = hostKey(current) == originalHost;
    for (const auto& [name, value] : headers) {
      if (sameHost || Poco::icompare(name, "Authorization") != 0) {
        request.set(name, value);
      }
    }
    // Credentials belong to the host they were configured for, and only over TLS.
    // aws signatures cover method, path and time, so they are made for each request.
    if (sameHost && Poco::toLower(current.getScheme()) == "https") {
      for (const auto& [name, value] :
           credentialHeadersFor(method, current, options_.auth, std::time(nullptr))) {
        request.set(name, value);
      }
    }
    try {
      response->session_->sendRequest(request);
      response->body_ = &response->session_->receiveResponse(response->response_);
    } catch (const Poco::Net::CertificateValidationException& e) {
      // A chain OpenSSL rejects fails the handshake before this; what is left is Poco's own
      // host name check, reported as an "application verification failure".
      std::string cause = describePocoError(e);
      if (cause.find("application verification failure") != std::string::npos) {
        cause = "TLS certificate does not match host name `" + current.getHost() + "`";
      }
      throw sdk::Error(RKT_E_NETWORK, cause);
    } catch (const Poco::Exception& e) {
      throw sdk::Error(RKT_E_NETWORK, response->describeError(e));
    }
    response->body_->exceptions(std::ios::badbit);

    int status = response->status();
    if (!isRedirect(status) || !response->response_.has("Location")) {
      return response;
    }
    if (redirects == kMaxRedirects) {
      throw sdk::Error(RKT_E_NETWORK,
                       "stopped after " + std::to_string(kMaxRedirects) + " redirects");
    }
    Poco::URI next = current;
    try {
      next.resolve(response->response_.get("Location"));
    } catch (const Poco::Exception& e) {
      throw sdk::Error(RKT_E_NETWORK, "invalid redirect location `" +
                                          response->response_.get("Location") +
                                          "`: " + describePocoError(e));
    }
    const std::string nextScheme = Poco::toLower(next.getScheme());
    if (nextScheme != "https" && nextScheme != "http") {
      throw sdk::Error(RKT_E_NETWORK, "redirect to unsupported URL `" + next.toString() + "`");
    }
    if (nextScheme == "http" && !options_.allowHttp) {
      throw sdk::Error(RKT_E_PERMISSION, "redirect to insecure `" + next.toString() +
                                             "` refused (use " + options_.allowHttpFlag + ")");
    }
    sdk::log(RKT_LOG_DEBUG, "redirected from " + current.toString() + " to " + next.toString());
    current = next;
  }
}

}  // namespace rkt::http
