#include "rkt/support/http/page.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <chrono>

#include "rkt/sdk/plugin.hpp"

namespace rkt::http {

Page getPage(HttpClient& client, const std::string& url, std::size_t maxSize) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    throw sdk::Error(RKT_E_INVALID, "invalid URL `" + url + "`: " + describePocoError(e));
  }
  std::unique_ptr<HttpResponse> response = client.send("GET", uri);
  Page page;
  page.status = response->status();
  if (page.status != 200) {
    return page;
  }
  try {
    std::istream& body = response->body();
    char buf[16384];
    while (body.read(buf, sizeof buf) || body.gcount() > 0) {
      page.body.append(buf, static_cast<size_t>(body.gcount()));
      if (page.body.size() > maxSize) {
        throw sdk::Error(RKT_E_NETWORK,
                         "response larger than " + std::to_string(maxSize) + " bytes");
      }
      // A server trickling bytes is stopped by the exchange's total time, when it has one.
      if (response->deadline() && std::chrono::steady_clock::now() > *response->deadline()) {
        throw Poco::TimeoutException();
      }
    }
  } catch (const sdk::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw sdk::Error(RKT_E_NETWORK, response->describeError(e));
  }
  return page;
}

}  // namespace rkt::http
