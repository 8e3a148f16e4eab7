// appc image discovery (appc-notes §5, rkt-notes §4.4), transport-agnostic.
//
//   auto app = discovery::parseApp("example.com/app:1.0,os=linux");
//   auto eps = discovery::discoverEndpoints(*app, fetchPage, {.allowHttp = false});
//   // eps->aci[0].aci == "https://example.com/images/app-1.0-linux.aci"
#ifndef RKT_DISCOVERY_DISCOVERY_HPP
#define RKT_DISCOVERY_DISCOVERY_HPP

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/base/result.hpp"

namespace rkt::discovery {

/// An image name with labels, as typed: `example.com/app:1.0,os=linux`.
struct App {
  std::string name;                           ///< a valid AC identifier
  std::map<std::string, std::string> labels;  ///< label name -> value ("version", "os", …)

  /// `name[:version][,label=value…]` back (labels sorted; version after the colon).
  std::string toString() const;
};

/// Parses an image string as appc's NewAppFromString: every `:` starts a `version` label,
/// `,` separates `label=value` pairs, values are URL-query-unescaped, a label given twice is an
/// error, names must be valid AC identifiers.
Result<App> parseApp(std::string_view text);

/// One `<meta name="ac-…" content="PREFIX URI">` tag of a discovery page.
struct MetaTag {
  std::string name;    ///< "ac-discovery", "ac-discovery-pubkeys" (any "ac-…" is kept)
  std::string prefix;  ///< image name prefix the tag applies to
  std::string uri;     ///< URL template (ac-discovery) or key URL (ac-discovery-pubkeys)
};

/// The `ac-…` meta tags of an HTML page, in document order, parsed with libxml2's (recovering)
/// HTML parser. Tags without a name starting with "ac-", a prefix or a URI are skipped.
std::vector<MetaTag> parseMetaTags(std::string_view html);

/// Replaces `{name}` with `app.name` and `{<label>}` with each label's value; `nullopt` when a
/// `{…}` is left over (such templates are skipped: this is how appc picks templates).
std::optional<std::string> renderTemplate(std::string_view tpl, const App& app,
                                          std::string_view ext);

struct AciEndpoint {
  std::string aci;  ///< template rendered with {ext} = aci
  std::string asc;  ///< template rendered with {ext} = aci.asc
};

struct Endpoints {
  std::vector<AciEndpoint> aci;
  std::vector<std::string> keys;
};

/// What a page request returned. A transport error is an Error from the fetcher.
struct Page {
  int status = 0;
  std::string body;
};
/// GETs `url` (the fetcher applies TLS policy and per-host credentials).
using PageFetcher = std::function<Result<Page>(const std::string& url)>;

struct Options {
  /// Try `http://` when `https://` fails or does not answer 200 (--insecure-options=http, or
  /// `rkt trust --insecure-allow-http`).
  bool allowHttp = false;
};

/// A prefix whose page gave nothing (for --debug output).
struct FailedAttempt {
  std::string prefix;
  std::string error;
};

/// The discovery of `app` (version defaulting to "latest"): GET `https://<prefix>?ac-discovery=1`
/// (`https://<host>/?ac-discovery=1` for a bare host) for the name and each parent (longest first),
/// stopping at the first prefix whose page yields ACI endpoints. Errors: `no endpoints discovered`,
/// with the failed attempts in `attempts` when given.
Result<Endpoints> discoverEndpoints(const App& app, const PageFetcher& fetch, const Options& opts,
                                    std::vector<FailedAttempt>* attempts = nullptr);

/// Same walk, stopping at the first prefix giving `ac-discovery-pubkeys` URLs. An empty
/// result is not an error here (callers word it).
Result<std::vector<std::string>> discoverPublicKeys(const App& app, const PageFetcher& fetch,
                                                    const Options& opts,
                                                    std::vector<FailedAttempt>* attempts = nullptr);

}  // namespace rkt::discovery

#endif  // RKT_DISCOVERY_DISCOVERY_HPP
