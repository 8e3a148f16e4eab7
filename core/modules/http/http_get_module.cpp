// rkt-http.so: the HTTP(S) client behind trust::httpGet (core/src/trust/http_get.cpp), an
// internal module loaded on first use so that commands which never fetch keys (rkt run, rkt
// list, ...) do not map Poco Net/NetSSL/Util/XML and libssl at start. Same build as the core:
// C++ types cross this boundary (it is not a third-party plugin).
#include "rkt/core/trust/http_get.hpp"

#include "rkt/base/shorten.hpp"
#include "rkt/base/stall_timeout.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <cctype>
#include <chrono>
#include <memory>

namespace rkt::trust {
namespace {

constexpr int kMaxRedirects = 10;

std::string describe(const std::exception& e) {
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
  if (msg.size() > 1 && !std::isupper(static_cast<unsigned char>(msg[1]))) {
    msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
  }
  return msg;
}

Poco::Net::Context::Ptr makeContext(bool insecure) {
  Poco::Net::Context::Params params;
  if (insecure) {
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    params.loadDefaultCAs = false;
  } else {
    // STRICT checks the host name for loopback peers too; default CAs are OpenSSL's, which
    // SSL_CERT_FILE / SSL_CERT_DIR override.
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.loadDefaultCAs = true;
  }
  params.cipherList = "DEFAULT";
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
}

// Poco's SSL setup is reference counted; keep it up for the duration of one request.
struct SslScope {
  SslScope() { Poco::Net::initializeSSL(); }
  ~SslScope() { Poco::Net::uninitializeSSL(); }
};

std::string hostKey(const Poco::URI& uri) {
  std::string host = Poco::toLower(uri.getHost());
  std::string raw = uri.getAuthority();
  // Only an explicit port is part of the key (auth.d names "host" or "host:port").
  auto at = raw.rfind('@');
  std::string hostPort = at == std::string::npos ? raw : raw.substr(at + 1);
  auto colon = hostPort.rfind(':');
  if (colon != std::string::npos && hostPort.find(']') == std::string::npos) {
    return host + hostPort.substr(colon);
  }
  return host;
}

Poco::Timespan timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

}  // namespace

Result<HttpGetResult> httpGetImpl(const std::string& url, const HttpGetOptions& options,
                                  const config::HttpHeaders& auth) {
  SslScope ssl;
  std::string currentUrl = url;  // what a stall names: the URL that stopped sending
  try {
    Poco::URI current(url);
    const std::string origin = hostKey(current);
    Poco::Net::Context::Ptr tls;
    auto deadline = std::chrono::steady_clock::now() + options.totalTimeout;
    for (int redirects = 0;; ++redirects) {
      std::string scheme = Poco::toLower(current.getScheme());
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (scheme == "https") {
        if (tls.isNull()) {
          tls = makeContext(options.insecureTls);
        }
        session = std::make_unique<Poco::Net::HTTPSClientSession>(current.getHost(),
                                                                  current.getPort(), tls);
      } else if (scheme == "http") {
        session =
            std::make_unique<Poco::Net::HTTPClientSession>(current.getHost(), current.getPort());
      } else {
        return Error{"unsupported URL scheme `" + scheme + "`"};
      }
      auto left = std::chrono::duration_cast<std::chrono::seconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return Error{"timeout"};
      }
      Poco::Timespan connect(static_cast<long>(std::min(options.connectTimeout, left).count()), 0);
      // Each read waits for the stall timeout at most, and never past the request's deadline.
      Poco::Timespan io = timespan(std::min<std::chrono::milliseconds>(options.stallTimeout, left));
      session->setTimeout(connect, io, io);
      currentUrl = current.toString();
      session->setKeepAlive(false);

      std::string target = current.getPathEtc();
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                     target.empty() ? "/" : target,
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.set("User-Agent", std::string("rkt/") + RKT_VERSION_STRING);
      if (scheme == "https" && hostKey(current) == origin) {
        for (const auto& [name, value] : auth) {
          request.set(name, value);
        }
      }
      session->sendRequest(request);
      Poco::Net::HTTPResponse response;
      std::istream& body = session->receiveResponse(response);
      int status = static_cast<int>(response.getStatus());
      bool redirect =
          status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
      if (redirect && response.has("Location")) {
        if (redirects == kMaxRedirects) {
          return Error{"stopped after 10 redirects"};
        }
        Poco::URI next = current;
        next.resolve(response.get("Location"));
        std::string nextScheme = Poco::toLower(next.getScheme());
        if (nextScheme == "http" && !options.allowHttp) {
          return Error{"redirect to insecure `" + next.toString() + "` refused"};
        }
        current = next;
        continue;
      }
      HttpGetResult result;
      result.status = status;
      char buf[16384];
      while (body.read(buf, sizeof buf) || body.gcount() > 0) {
        result.body.append(buf, static_cast<size_t>(body.gcount()));
        if (result.body.size() > options.maxBody) {
          return Error{"response larger than " + std::to_string(options.maxBody) + " bytes"};
        }
        if (std::chrono::steady_clock::now() > deadline) {
          // A server trickling bytes is stopped by the whole request's limit.
          return Error{"no complete response within " +
                       std::to_string(options.totalTimeout.count()) + "s from `" +
                       shownName(currentUrl) + "`"};
        }
      }
      return result;
    }
  } catch (const Poco::TimeoutException&) {
    return Error{noDataFor(options.stallTimeout) + " from `" + shownName(currentUrl) + "`"};
  } catch (const Poco::Net::CertificateValidationException& e) {
    std::string cause = describe(e);
    if (cause.find("application verification failure") != std::string::npos) {
      cause = "TLS certificate does not match the host name";
    }
    return Error{cause};
  } catch (const std::exception& e) {
    return Error{describe(e)};
  }
}

}  // namespace rkt::trust

/// The module's entry (see kHttpModuleEntry in core/src/trust/http_get.cpp). `auth`: the auth.d
/// headers for `url`, sent only over https and only to its host[:port].
extern "C" __attribute__((visibility("default"))) int rkt_internal_http_get_v1(
    const std::string* url, const rkt::trust::HttpGetOptions* options,
    const rkt::config::HttpHeaders* auth, rkt::trust::HttpGetResult* result, std::string* error) {
  rkt::Result<rkt::trust::HttpGetResult> r = rkt::trust::httpGetImpl(*url, *options, *auth);
  if (!r) {
    *error = r.error().message;
    return 1;
  }
  *result = std::move(*r);
  return 0;
}
