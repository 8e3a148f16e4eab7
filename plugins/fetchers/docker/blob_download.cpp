#include "blob_download.hpp"

#include <Poco/InflatingStream.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <fstream>
#include <set>
#include <thread>

#include "layer_progress.hpp"
#include "rkt/sdk/plugin.hpp"
#include "rkt/support/archive/digest.hpp"
#include "rkt/support/http/download.hpp"
#include "rkt/support/http/locked_file.hpp"

namespace rkt::dockerfetcher {
namespace {

std::string shortDigest(const std::string& digest) {
  return digest.substr(0, 7 + 12);  // "sha256:" and 12 hex digits, as docker shows layers
}

void downloadOne(RegistrySession& session, const Descriptor& blob, const std::string& tmpDir,
                 OciLayout& layout, const std::string& shown, LayerProgress& progress,
                 std::size_t index) {
  const std::string what = "blob " + blob.digest + " of `" + shown + "`";
  http::LockedFile file = http::LockedFile::acquire(tmpDir, "docker-blob-" + blob.digest.substr(7));
  http::DownloadSpec spec;
  spec.url = session.url("blobs/" + blob.digest);
  spec.label = shortDigest(blob.digest);
  if (std::string auth = session.authorization(); !auth.empty()) {
    spec.headers.emplace_back("Authorization", auth);
  }
  spec.onProgress = [&](int64_t done, int64_t total) { progress.advanced(index, done, total); };
  progress.started(index, blob.size);
  for (int attempt = 1;; ++attempt) {
    try {
      http::download(session.client(), file, spec);
      break;
    } catch (const sdk::Error& e) {
      if (e.code() != RKT_E_NETWORK || attempt == kAttemptsPerBlob) {
        throw sdk::Error(e.code(), "cannot download " + what + ": " + e.what(), e.sysErrno());
      }
      sdk::log(RKT_LOG_INFO,
               "download of " + spec.label + " interrupted (" + e.what() + "), resuming");
    }
  }
  const std::string path = file.handOver("");
  struct stat st {};
  const bool sized = ::stat(path.c_str(), &st) == 0 && (blob.size < 0 || st.st_size == blob.size);
  const std::string got = fileDigest(path);
  if (!sized || got != blob.digest) {
    ::unlink(path.c_str());
    throw sdk::Error(RKT_E_INVALID, what + " does not match its digest (got " + got + ", " +
                                        std::to_string(st.st_size) + " bytes): refusing the image");
  }
  layout.adoptBlob(blob.digest, path);
  progress.finished(index);
}

}  // namespace

std::string fileDigest(const std::string& path, bool gunzip) {
  std::ifstream raw(path, std::ios::binary);
  if (!raw) {
    throw sdk::Error(RKT_E_IO, "cannot open `" + path + "`");
  }
  std::unique_ptr<Poco::InflatingInputStream> inflated;
  std::istream* in = &raw;
  if (gunzip) {
    inflated =
        std::make_unique<Poco::InflatingInputStream>(raw, Poco::InflatingStreamBuf::STREAM_GZIP);
    in = inflated.get();
  }
  archive::Sha256 h;
  std::vector<char> buf(1 << 16);
  try {
    while (*in) {
      in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
      h.update(buf.data(), static_cast<std::size_t>(in->gcount()));
    }
  } catch (const std::exception& e) {
    throw sdk::Error(RKT_E_INVALID, "cannot read `" + path + "`: " + e.what());
  }
  return "sha256:" + h.hexDigest();
}

void downloadBlobs(RegistrySession& session, const std::vector<Descriptor>& blobs,
                   const std::string& tmpDir, OciLayout& layout, const std::string& shown) {
  std::vector<Descriptor> unique;
  std::set<std::string> seen;
  for (const Descriptor& b : blobs) {
    if (seen.insert(b.digest).second) {
      unique.push_back(b);
    }
  }
  std::vector<std::pair<std::string, int64_t>> labels;
  for (const Descriptor& b : unique) {
    labels.emplace_back(shortDigest(b.digest), b.size);
  }
  LayerProgress progress(labels, ::isatty(STDERR_FILENO) == 1);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(unique.size());
  auto worker = [&] {
    for (std::size_t i = next++; i < unique.size() && !failed; i = next++) {
      try {
        downloadOne(session, unique[i], tmpDir, layout, shown, progress, i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < std::min(kParallelDownloads, unique.size()); ++t) {
    threads.emplace_back(worker);
  }
  for (std::thread& t : threads) {
    t.join();
  }
  for (const std::exception_ptr& e : errors) {
    if (e) {
      std::rethrow_exception(e);
    }
  }
}

}  // namespace rkt::dockerfetcher
