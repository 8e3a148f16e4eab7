#include "rkt/support/http/download.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <cstdio>
#include <optional>
#include <vector>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/http/cache_control.hpp"
#include "rkt/support/http/progress.hpp"

namespace rkt::http {
namespace {

constexpr size_t kChunk = 64 * 1024;

[[noreturn]] void badStatus(const HttpResponse& r) {
  throw sdk::Error(r.status() == 404 ? RKT_E_NOT_FOUND : RKT_E_NETWORK,
                   "bad HTTP status code: " + std::to_string(r.status()) + " (" +
                       r.statusLine().substr(std::to_string(r.status()).size() + 1) + ")");
}

bool acceptsByteRanges(const HttpResponse& r) {
  Poco::StringTokenizer units(
      r.get("Accept-Ranges"), ",",
      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const std::string& u : units) {
    if (Poco::icompare(u, "bytes") == 0) {
      return true;
    }
  }
  return false;
}

std::optional<std::time_t> httpDate(const std::string& s) {
  if (s.empty()) {
    return std::nullopt;
  }
  Poco::DateTime dt;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(s, dt, tzd)) {
    return std::nullopt;
  }
  dt.makeUTC(tzd);
  return dt.timestamp().epochTime();
}

// Where a resumed download may start: the partial file's size when the server can continue it
// and the resource has not changed since, else 0 (after emptying the file).
int64_t resumeOffset(HttpClient& client, LockedFile& file, const DownloadSpec& spec) {
  const int64_t size = file.size();
  if (size == 0) {
    return 0;
  }
  std::unique_ptr<HttpResponse> head = client.send("HEAD", spec.url, spec.headers);
  if (head->status() != 200) {
    sdk::log(RKT_LOG_INFO,
             "bad HTTP status code from HEAD request: " + std::to_string(head->status()));
    file.reset();
    return 0;
  }
  if (!acceptsByteRanges(*head)) {
    sdk::log(RKT_LOG_INFO, "range request unsupported.");
    file.reset();
    return 0;
  }
  const std::string etag = head->get("ETag");
  const std::string saved = file.savedEtag();
  std::optional<std::time_t> lastModified = httpDate(head->get("Last-Modified"));
  bool unchanged = (!etag.empty() && etag == saved) ||
                   (lastModified.has_value() && *lastModified < file.mtime());
  if (!unchanged) {
    sdk::log(RKT_LOG_INFO, "cannot use cached partial download, resource updated.");
    file.reset();
    return 0;
  }
  sdk::log(RKT_LOG_DEBUG,
           "resuming download of " + spec.url.toString() + " at byte " + std::to_string(size));
  return size;
}

// The first byte position of a 206 response, from "Content-Range: bytes START-END/TOTAL".
std::optional<int64_t> rangeStart(const std::string& contentRange) {
  long long start = 0;
  long long end = 0;
  if (std::sscanf(contentRange.c_str(), "bytes %lld-%lld", &start, &end) != 2) {
    return std::nullopt;
  }
  return static_cast<int64_t>(start);
}

void copyBody(HttpResponse& response, LockedFile& file, const DownloadSpec& spec, int64_t start) {
  const int64_t expected = response.contentLength();
  const int64_t total = expected < 0 ? -1 : start + expected;
  std::optional<Progress> progress;
  if (!spec.onProgress) {
    progress.emplace(spec.label, start, total);
  }
  std::vector<char> buf(kChunk);
  int64_t received = 0;
  try {
    std::istream& body = response.body();
    while (body) {
      body.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      std::streamsize n = body.gcount();
      if (n <= 0) {
        break;
      }
      file.append(buf.data(), static_cast<size_t>(n));
      received += n;
      if (progress) {
        progress->advance(n);
      } else {
        spec.onProgress(start + received, total);
      }
    }
  } catch (const sdk::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw sdk::Error(RKT_E_NETWORK, "transfer interrupted after " + std::to_string(received) +
                                        " bytes: " + response.describeError(e));
  }
  if (expected >= 0 && received != expected) {
    throw sdk::Error(RKT_E_NETWORK, "unexpected end of data after " + std::to_string(received) +
                                        " of " + std::to_string(expected) + " bytes");
  }
  if (progress) {
    progress->finish();
  }
  file.sync();
}

}  // namespace

DownloadResult download(HttpClient& client, LockedFile& file, const DownloadSpec& spec) {
  // Two rounds at most: a refused or misplaced range makes the second one start from zero.
  for (int round = 0; round < 2; ++round) {
    const int64_t offset = round == 0 ? resumeOffset(client, file, spec) : 0;
    HeaderList headers = spec.headers;
    if (!spec.ifNoneMatch.empty()) {
      headers.emplace_back("If-None-Match", spec.ifNoneMatch);
    }
    if (offset > 0) {
      headers.emplace_back("Range", "bytes=" + std::to_string(offset) + "-");
      // Belt and braces: should the resource change after our HEAD, the server sends it whole.
      std::string saved = file.savedEtag();
      if (!saved.empty() && !Poco::startsWith(saved, std::string("W/"))) {
        headers.emplace_back("If-Range", saved);
      }
    }
    std::unique_ptr<HttpResponse> response = client.send("GET", spec.url, headers);
    DownloadResult result;
    result.etag = response->get("ETag");
    result.maxAge = maxAgeFrom(response->get("Cache-Control"));

    switch (response->status()) {
      case 200:
        file.reset();
        file.saveEtag(result.etag);
        copyBody(*response, file, spec, 0);
        return result;
      case 206: {
        std::optional<int64_t> start = rangeStart(response->get("Content-Range"));
        if (offset == 0 || !start || *start != offset) {
          sdk::log(RKT_LOG_DEBUG, "unusable partial response from " + spec.url.toString() +
                                      ", restarting the download");
          file.reset();
          continue;
        }
        if (result.etag.empty()) {
          result.etag = file.savedEtag();
        }
        copyBody(*response, file, spec, offset);
        return result;
      }
      case 304:
        if (spec.ifNoneMatch.empty()) {
          badStatus(*response);  // nothing of ours could be "not modified"
        }
        result.outcome = DownloadOutcome::kNotModified;
        return result;
      case 416:
        if (offset == 0) {
          badStatus(*response);
        }
        sdk::log(RKT_LOG_DEBUG,
                 "range not satisfiable for " + spec.url.toString() + ", restarting the download");
        file.reset();
        continue;
      case 202:
        if (!spec.allowDeferred) {
          badStatus(*response);
        }
        result.outcome = DownloadOutcome::kDeferred;
        return result;
      case 404:
        if (!spec.allowMissing) {
          badStatus(*response);
        }
        result.outcome = DownloadOutcome::kMissing;
        return result;
      default:
        badStatus(*response);
    }
  }
  throw sdk::Error(RKT_E_NETWORK, "server keeps refusing to send the whole file");
}

}  // namespace rkt::http
