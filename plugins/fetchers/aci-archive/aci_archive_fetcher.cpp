#include "aci_archive_fetcher.hpp"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <cctype>

#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/support/fetch/local_image.hpp"
#include "rkt/support/fetch/remote_image.hpp"

namespace rkt::aciarchive {
namespace {

using fetch::fetchLocalImage;
using fetch::fetchRemoteImage;
using fetch::userAgent;
using protocol::fetcher::FetchRequest;

// "scheme://..." -> lowercase scheme; "" for plain paths (which may contain ':' elsewhere).
std::string schemeOf(const std::string& image) {
  auto sep = image.find("://");
  if (sep == std::string::npos || sep == 0) {
    return {};
  }
  for (size_t i = 0; i < sep; ++i) {
    char c = image[i];
    bool ok = std::isalpha(static_cast<unsigned char>(c)) ||
              (i > 0 &&
               (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'));
    if (!ok) {
      return {};
    }
  }
  return Poco::toLower(image.substr(0, sep));
}

Poco::URI parseUrl(const std::string& image) {
  try {
    return Poco::URI(image);
  } catch (const Poco::Exception& e) {
    throw sdk::Error(RKT_E_INVALID, "invalid image URL `" + image + "`: " + e.displayText());
  }
}

}  // namespace

AciArchiveFetcher::AciArchiveFetcher(const std::string& /*configJson*/) {}

std::string AciArchiveFetcher::fetch(const std::string& requestJson) {
  const auto req = protocol::decode<FetchRequest>(requestJson);
  std::string scheme = schemeOf(req.image);
  if (scheme.empty()) {
    return protocol::encode(fetchLocalImage(req.image, req));
  }
  if (scheme == "file") {
    Poco::URI url = parseUrl(req.image);
    return protocol::encode(fetchLocalImage(url.getPath(), req));
  }
  if (scheme == "http" || scheme == "https") {
    Poco::URI url = parseUrl(req.image);
    if (url.getHost().empty()) {
      throw sdk::Error(RKT_E_INVALID, "invalid image URL `" + req.image + "`: no host");
    }
    return protocol::encode(fetchRemoteImage(url, req, userAgent()));
  }
  throw sdk::Error(RKT_E_INVALID,
                   "rkt only supports http, https or file URLs (`" + req.image + "`)");
}

}  // namespace rkt::aciarchive
