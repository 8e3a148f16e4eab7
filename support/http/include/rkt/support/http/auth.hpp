// Credentials from auth.d for one URL (rkt notes §2.9, kind `auth`): the headers of
// basic, oauth and aws (SigV4) entries, sent only over https to the host[:port] they name.
#ifndef RKT_SUPPORT_HTTP_AUTH_HPP
#define RKT_SUPPORT_HTTP_AUTH_HPP

#include <Poco/URI.h>

#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "rkt/sdk/protocol/fetcher.hpp"

namespace rkt::http {

/// One auth.d entry (kind `auth`), already merged by the core: the fetch request's `auth`
/// entries (the SDK's protocol type), and what the core's own requests (`rkt trust`) are given
/// from its configuration.
using AuthEntry = protocol::fetcher::AuthEntry;

/// The URL's host as auth.d domains name it: lowercase host, plus ":port" when the URL spells
/// a port out (rkt compares the URL's host[:port] exactly).
std::string hostKey(const Poco::URI& uri);

/// The Authorization header value for `uri`, or "" when none applies. Credentials go only to
/// https URLs whose hostKey equals one of an entry's domains: basic -> "Basic
/// base64(user:password)", oauth -> "Bearer <token>". A matching `aws` entry gives "" (its
/// requests are signed one by one: credentialHeadersFor). An entry with missing credentials or
/// an unknown type throws rkt::sdk::Error(RKT_E_INVALID).
std::string authorizationFor(const Poco::URI& uri, const std::vector<AuthEntry>& auth);

/// Every credential header for one request: Authorization for basic/oauth; for aws the AWS
/// SigV4 set (Authorization, X-Amz-Date, X-Amz-Content-Sha256; service "s3", region
/// `awsRegion` or guessed from the host) signed at `now`. Same matching rules; empty when none
/// applies.
std::vector<std::pair<std::string, std::string>> credentialHeadersFor(
    const std::string& method, const Poco::URI& uri, const std::vector<AuthEntry>& auth,
    std::time_t now);

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_AUTH_HPP
