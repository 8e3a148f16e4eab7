#include "rkt/support/fetch/remote_image.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <Poco/String.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/fetch/local_image.hpp"
#include "rkt/support/fetch/stall_timeout.hpp"
#include "rkt/support/http/cache_control.hpp"
#include "rkt/support/http/client.hpp"
#include "rkt/support/http/download.hpp"
#include "rkt/support/http/locked_file.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::fetch {
namespace {

using http::download;
using http::DownloadOutcome;
using http::DownloadResult;
using http::DownloadSpec;
using http::HttpClient;
using http::HttpOptions;
using http::LockedFile;

// A file handed over to the caller only if the whole fetch succeeds.
class PendingFile {
 public:
  PendingFile() = default;
  explicit PendingFile(std::string path) : path_(std::move(path)) {}
  PendingFile(PendingFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  PendingFile& operator=(PendingFile&& other) noexcept {
    drop();
    path_ = std::exchange(other.path_, {});
    return *this;
  }
  ~PendingFile() { drop(); }
  std::string release() { return std::exchange(path_, {}); }
  bool empty() const { return path_.empty(); }

 private:
  void drop() {
    if (!path_.empty()) {
      ::unlink(path_.c_str());
      path_.clear();
    }
  }
  std::string path_;
};

// Runs one download and rewrites any failure as "<what> `<url>`: <cause>".
template <class Body>
auto withContext(const std::string& what, const std::string& url, Body&& body) {
  try {
    return body();
  } catch (const sdk::Error& e) {
    throw sdk::Error(e.code(), what + " `" + url + "`: " + e.what(), e.sysErrno());
  } catch (const std::exception& e) {
    throw sdk::Error(RKT_E_NETWORK, what + " `" + url + "`: " + http::describePocoError(e));
  }
}

struct FileDownload {
  DownloadResult result;
  PendingFile file;  ///< set when result.outcome == kComplete
};

FileDownload fetchToFile(HttpClient& client, const std::string& tmpDir, DownloadSpec spec,
                         const std::string& suffix) {
  FileDownload out;
  LockedFile file = LockedFile::acquire(tmpDir, http::keyOf(spec.url.toString()));
  try {
    out.result = download(client, file, spec);
  } catch (...) {
    try {
      if (file.size() == 0) {
        file.discard();  // nothing worth resuming
      }
    } catch (const std::exception&) {  // keep the original error
    }
    throw;
  }
  if (out.result.outcome == DownloadOutcome::kComplete) {
    out.file = PendingFile(file.handOver(suffix));
  } else {
    file.discard();  // 304, 202, 404: no content, and any partial one is obsolete
  }
  return out;
}

std::string absolutePath(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

void checkTmpDir(const std::string& tmpDir, const std::string& url) {
  if (tmpDir.empty()) {
    throw sdk::Error(RKT_E_INVALID, "cannot fetch `" + url + "`: the request has no tmp_dir");
  }
  struct stat st {};
  if (::stat(tmpDir.c_str(), &st) != 0) {
    const int err = errno;
    posix::throwSys("cannot use download directory `" + tmpDir + "`", err);
  }
  if (!S_ISDIR(st.st_mode)) {
    throw sdk::Error(RKT_E_IO, "cannot use download directory `" + tmpDir + "`: not a directory",
                     ENOTDIR);
  }
}

}  // namespace

std::string userAgent() {
  const rkt_host_api* host = sdk::host();
  std::string version =
      host != nullptr && host->host_version != nullptr ? host->host_version : "unknown";
  return "rkt/" + version;
}

FetchResult fetchRemoteImage(const Poco::URI& url, const FetchRequest& req,
                             const std::string& userAgent, const std::string& ascUrl) {
  const std::string& urlText = req.image;
  const bool https = Poco::toLower(url.getScheme()) == "https";

  const RemoteRecord* stored = req.remote && !req.remote->key.empty() ? &*req.remote : nullptr;
  if (stored != nullptr &&
      http::stillFresh(stored->downloadTime, stored->cacheMaxAge, http::nowNs())) {
    sdk::log(RKT_LOG_DEBUG, "image for " + urlText + " isn't expired, not fetching.");
    FetchResult cached;
    cached.cachedKey = stored->key;
    return cached;
  }

  checkTmpDir(req.tmpDir, urlText);
  if (https && req.insecure.tls) {
    sdk::log(RKT_LOG_WARNING, "TLS verification has been disabled");
  }

  HttpOptions options;
  options.insecureTls = req.insecure.tls;
  // rkt v1.30's rules: an http:// image URL (typed, or from discovery) is fetched, with its
  // signature from the same server, without `--insecure-options=http` (the signature is what
  // makes it trustworthy; `image` turns that off). Only a redirect from https down to plain
  // http needs `http` (rkt's Go client would follow it: we are stricter there).
  options.allowHttp = req.insecure.http || !https;
  options.userAgent = userAgent;
  options.auth = req.auth;
  options.stallTimeout = stallTimeoutOf(req);
  HttpClient client(std::move(options));

  FetchResult result;
  RemoteRecord record;
  record.url = urlText;

  // The signature comes first (rkt checks the signer before spending time on the image); a
  // server that produces signatures lazily answers 202 and gets asked again afterwards.
  PendingFile signature;
  bool deferred = false;
  DownloadSpec sigSpec;
  if (!req.signature.empty()) {
    result.signaturePath = signatureFile(req.signature);
    record.sigUrl = result.signaturePath;
  } else if (!req.insecure.image) {
    if (!ascUrl.empty()) {
      sigSpec.url = Poco::URI(ascUrl);
    } else {
      sigSpec.url = url;
      sigSpec.url.setPath(ascPathFor(url.getPath()));
    }
    sigSpec.label = "signature";
    sigSpec.allowDeferred = true;
    sigSpec.allowMissing = true;
    record.sigUrl = sigSpec.url.toString();
    sdk::log(RKT_LOG_DEBUG, "downloading signature from " + record.sigUrl);
    FileDownload sig = withContext("error downloading the signature file", record.sigUrl, [&] {
      return fetchToFile(client, req.tmpDir, sigSpec, ".asc");
    });
    if (sig.result.outcome == DownloadOutcome::kDeferred) {
      sdk::log(RKT_LOG_INFO, "server requested deferring the signature download");
      deferred = true;
    } else if (sig.result.outcome == DownloadOutcome::kMissing) {
      sdk::log(RKT_LOG_DEBUG, "no signature at " + record.sigUrl);
    }
    signature = std::move(sig.file);
  }

  sdk::log(RKT_LOG_DEBUG, "fetching image from " + urlText);
  DownloadSpec imageSpec;
  imageSpec.url = url;
  imageSpec.label = "ACI";
  if (stored != nullptr) {
    imageSpec.ifNoneMatch = stored->etag;
  }
  FileDownload image = withContext("error downloading ACI", urlText, [&] {
    return fetchToFile(client, req.tmpDir, imageSpec, ".aci");
  });
  if (image.result.outcome == DownloadOutcome::kNotModified) {
    // The stored copy is current. rkt does not refresh the record's download time here.
    sdk::log(RKT_LOG_DEBUG, "using image from local store for url " + urlText);
    FetchResult cached;
    cached.cachedKey = stored->key;
    return cached;
  }

  if (deferred) {
    FileDownload sig = withContext("error downloading the signature file", record.sigUrl, [&] {
      return fetchToFile(client, req.tmpDir, sigSpec, ".asc");
    });
    if (sig.result.outcome == DownloadOutcome::kDeferred) {
      throw sdk::Error(RKT_E_NETWORK, "error downloading the signature file `" + record.sigUrl +
                                          "`: server asked to defer the download again");
    }
    signature = std::move(sig.file);
  }

  record.etag = image.result.etag;
  record.cacheMaxAge = image.result.maxAge;
  record.downloadTime = http::nowNs();
  result.path = absolutePath(image.file.release());
  if (!signature.empty()) {
    result.signaturePath = absolutePath(signature.release());
  }
  result.remote = record;
  return result;
}

}  // namespace rkt::fetch
