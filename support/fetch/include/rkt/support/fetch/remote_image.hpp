// Images at http:// and https:// URLs (rkt's httpFetcher, rkt notes §4.2–§4.3).
#ifndef RKT_SUPPORT_FETCH_REMOTE_IMAGE_HPP
#define RKT_SUPPORT_FETCH_REMOTE_IMAGE_HPP

#include <Poco/URI.h>

#include <string>

#include "rkt/sdk/protocol/fetcher.hpp"

namespace rkt::fetch {

using protocol::fetcher::FetchRequest;
using protocol::fetcher::FetchResult;
using protocol::fetcher::RemoteRecord;

/// What a fetcher sends as User-Agent: "rkt/<version of the host that loaded the plugin>"
/// ("rkt/unknown" outside a plugin).
std::string userAgent();

/// Fetches the image at `url` (req.image parsed) into req.tmp_dir, in rkt's order:
///  1. a stored copy still within its max-age is reused without any request (cached_key);
///  2. unless signature checks are off (insecure.image) or --signature names a file, the
///     signature `<url path without .aci>.aci.asc` is downloaded: 404 means "no signature",
///     202 means "ask again after the image";
///  3. the image is downloaded with If-None-Match: <stored ETag>; 304 reuses the stored copy;
///  4. a deferred signature is downloaded again (a second 202 is an error).
/// An http:// URL is fetched as is (rkt v1.30); a redirect from https to http needs
/// insecure.http. `userAgent` is sent with every request. Errors are one line
/// naming the URL and the cause. `ascUrl`, when not empty, is where the signature is (appc
/// discovery renders it from the template) instead of `<url without .aci>.aci.asc`.
FetchResult fetchRemoteImage(const Poco::URI& url, const FetchRequest& req,
                             const std::string& userAgent, const std::string& ascUrl = "");

}  // namespace rkt::fetch

#endif  // RKT_SUPPORT_FETCH_REMOTE_IMAGE_HPP
