// One resumable download into a LockedFile (rkt's resumableSession, rkt notes §4.3).
#ifndef RKT_SUPPORT_HTTP_DOWNLOAD_HPP
#define RKT_SUPPORT_HTTP_DOWNLOAD_HPP

#include <Poco/URI.h>

#include <cstdint>
#include <functional>
#include <string>

#include "rkt/support/http/client.hpp"
#include "rkt/support/http/locked_file.hpp"

namespace rkt::http {

enum class DownloadOutcome {
  kComplete,     ///< the file holds the whole resource
  kNotModified,  ///< HTTP 304: the copy named by If-None-Match is current
  kDeferred,     ///< HTTP 202 (only when allowed): ask again later
  kMissing,      ///< HTTP 404 (only when allowed)
};

struct DownloadResult {
  DownloadOutcome outcome = DownloadOutcome::kComplete;
  std::string etag;    ///< ETag of the response
  int64_t maxAge = 0;  ///< from its Cache-Control
};

struct DownloadSpec {
  Poco::URI url;
  std::string label;        ///< "ACI" or "signature": progress line and messages
  std::string ifNoneMatch;  ///< stored ETag for a conditional GET, "" for none
  bool allowDeferred = false;
  bool allowMissing = false;
  /// Sent with every request of the download (the HEAD of a resume too), e.g. a registry's
  /// Authorization.
  HeaderList headers;
  /// When set, told (bytes present, total or -1) as the body arrives, instead of rkt's own
  /// progress line: a caller downloading several files at once draws them together.
  std::function<void(int64_t done, int64_t total)> onProgress;
};

/// Downloads `spec.url` into `file`. A partial file is resumed with `Range: bytes=<size>-`
/// only when a HEAD shows `Accept-Ranges: bytes` and the resource is unchanged (its ETag equals
/// the saved one, or its Last-Modified is older than the partial file); otherwise, and on
/// HTTP 416, the download restarts from zero. A transfer cut short leaves the partial file and
/// its ETag for the next attempt. Throws rkt::sdk::Error with the cause only (the caller names
/// the URL), e.g. "bad HTTP status code: 500 (Internal Server Error)".
DownloadResult download(HttpClient& client, LockedFile& file, const DownloadSpec& spec);

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_DOWNLOAD_HPP
