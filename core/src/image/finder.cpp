// rkt's Finder / Fetcher flow (rkt/image/finder.go, fetcher.go) over store and fetcher plugins.
#include "rkt/core/image/finder.hpp"

#include <unistd.h>

#include <chrono>
#include <deque>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "rkt/base/shorten.hpp"
#include "rkt/core/image/verify.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/trust/pubkey.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/os_arch.hpp"
#include "rkt/sdk/protocol/image_key.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "try_assign.hpp"
#include "util/regular_file.hpp"

namespace rkt::image {
namespace {

// What messages call a fetched image: its file, or the URL (or name) it was downloaded from.
std::string fetchedName(const ImageRef& ref, const FetchResult& result) {
  if (ref.localFile) {
    return result.path;
  }
  if (result.remote && !result.remote->url.empty()) {
    return result.remote->url;
  }
  return ref.remoteUrl.empty() ? ref.input : ref.remoteUrl;
}

// Whatever a fetcher hands over must be regular files: reading a named pipe would block forever.
Status checkFetchedFiles(const FetchResult& result, const std::string& shown) {
  if (Status st = util::checkRegularFile(result.path); !st) {
    return st.error().wrap("cannot import `" + shown + "`");
  }
  if (result.signaturePath.empty()) {
    return {};
  }
  if (Status st = util::checkRegularFile(result.signaturePath); !st) {
    return st.error().wrap("error opening signature file: open " + result.signaturePath);
  }
  return {};
}

std::string notFoundTail() {
  return ": either image was not found in the store or store was disabled and fetching from "
         "remote yielded nothing or it was disabled";
}

std::string joinNames(const std::vector<std::string>& names) {
  if (names.empty()) {
    return "none";
  }
  std::string out;
  for (const std::string& n : names) {
    out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

std::string kindDescription(const std::string& fetcher) {
  if (fetcher == "appc") {
    return "appc image names";
  }
  if (fetcher == "docker") {
    return "docker images";
  }
  if (fetcher == "aci-archive") {
    return "ACI files and URLs";
  }
  return fetcher + " images";
}

// The path rkt prints for "using image from file": absolute, as the fetcher will open it.
std::string displayPath(const ImageRef& ref) {
  std::string p = ref.fetchString;
  if (p.rfind("file://", 0) == 0) {
    p = p.substr(7);
  }
  if (!p.empty() && p.front() != '/') {
    char buf[4096];
    if (::getcwd(buf, sizeof buf) != nullptr) {
      p = std::string(buf) + "/" + p;
    }
  }
  return p;
}

// Removes a file the fetcher left in the store's download directory (never the user's own file).
void removeIfDownloaded(const std::string& path, const std::string& tmpDir) {
  if (path.empty() || tmpDir.empty()) {
    return;
  }
  const std::string prefix = tmpDir.back() == '/' ? tmpDir : tmpDir + "/";
  if (path.rfind(prefix, 0) == 0 && path.find("/../") == std::string::npos) {
    // A layer blob is in a directory the fetcher made there (a layout): all of it goes.
    const size_t slash = path.find('/', prefix.size());
    if (slash != std::string::npos) {
      (void)posix::removeTree(path.substr(0, slash));
    } else {
      ::unlink(path.c_str());
    }
  }
}

// The store's download_time unit: nanoseconds since the Unix epoch.
std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// rkt's fetchers: the fetcher plugins of the registry.
class RegistryFetchers final : public FetcherSource {
 public:
  explicit RegistryFetchers(plugin::PluginRegistry& registry) : registry_(registry) {}
  std::vector<std::string> installed() const override {
    return registry_.installed(RKT_KIND_FETCHER);
  }
  Result<FetcherClient> open(const std::string& name) override {
    return FetcherClient::open(registry_, name);
  }

 private:
  plugin::PluginRegistry& registry_;
};

LabelMap toMap(const schema::Labels& labels) {
  LabelMap m;
  for (const auto& l : labels) {
    m[l.name] = l.value;
  }
  return m;
}

}  // namespace

Result<PullPolicy> parsePullPolicy(std::string_view text) {
  if (text == "never") {
    return PullPolicy::kNever;
  }
  if (text == "new") {
    return PullPolicy::kNew;
  }
  if (text == "update") {
    return PullPolicy::kUpdate;
  }
  return Error{"invalid pull policy " + quotedName(std::string(text)) +
               " (expected never, new or update)"};
}

std::string_view pullPolicyName(PullPolicy policy) {
  switch (policy) {
    case PullPolicy::kNever:
      return "never";
    case PullPolicy::kNew:
      return "new";
    case PullPolicy::kUpdate:
      return "update";
  }
  return "";
}

bool overlaySupported() {
  std::ifstream in("/proc/filesystems");
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t tab = line.rfind('\t');
    const std::string fs = tab == std::string::npos ? line : line.substr(tab + 1);
    if (fs == "overlay") {
      return true;
    }
  }
  return false;
}

Finder::Finder(const StoreClient& store, plugin::PluginRegistry& registry, FinderOptions options)
    : store_(store),
      registryFetchers_(std::make_unique<RegistryFetchers>(registry)),
      fetcherSource_(*registryFetchers_),
      options_(std::move(options)) {}

Finder::Finder(const StoreClient& store, FetcherSource& fetchers, FinderOptions options)
    : store_(store), fetcherSource_(fetchers), options_(std::move(options)) {}

Finder::~Finder() = default;

void Finder::log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  }
}

void Finder::debug(const std::string& line) const {
  if (options_.debug && options_.debugLog) {
    options_.debugLog(line);
  }
}

Result<std::string> Finder::tmpDir() {
  if (tmpDir_.empty()) {
    RKT_TRY_ASSIGN(info, store_.info());
    tmpDir_ = info.tmpDir;
  }
  return tmpDir_;
}

bool Finder::fetcherInstalled(const std::string& name) {
  if (!installed_) {
    installed_ = fetcherSource_.installed();
  }
  for (const std::string& n : *installed_) {
    if (n == name) {
      return true;
    }
  }
  return false;
}

Result<const FetcherClient*> Finder::fetcherFor(const ImageRef& ref) {
  const std::string name = ref.fetcherName();
  auto it = fetchers_.find(name);
  if (it != fetchers_.end()) {
    return static_cast<const FetcherClient*>(it->second.get());
  }
  if (!fetcherInstalled(name)) {
    return Error{"no fetcher for " + kindDescription(name) +
                 " is installed (installed fetchers: " + joinNames(*installed_) + ")"};
  }
  RKT_TRY_ASSIGN(client, fetcherSource_.open(name));
  auto owned = std::make_unique<FetcherClient>(std::move(client));
  const FetcherClient* raw = owned.get();
  fetchers_.emplace(name, std::move(owned));
  return raw;
}

Result<std::string> Finder::findImage(const std::string& image, const std::string& signature) {
  RKT_TRY_ASSIGN(ref, classifyImage(image, [this](const std::string& scheme) {
                   return fetcherInstalled(scheme);
                 }));
  if (ref.kind == ImageKind::kHash) {
    std::string prefix = image.substr(0, protocol::store::kImageKeyLength);
    RKT_TRY_ASSIGN(key, store_.resolveId(prefix));
    if (!key) {
      return Error{"could not resolve image ID " + quotedName(image) + ": no image IDs found"};
    }
    return *key;
  }
  RKT_TRY_ASSIGN(key, fetchSingle(ref, signature));
  if (options_.withDeps) {
    if (Status st = fetchDependencies(key); !st) {
      return st.error();
    }
  }
  if (options_.render && !store_.rendersTrees()) {
    debug("the store does not render trees: not rendering " + key);
  } else if (options_.render) {
    Result<RenderResult> rendered = store_.render(key, false);
    if (!rendered) {
      return rendered.error().wrap("error rendering tree store");
    }
    debug("rendered " + key + " into " + rendered->path);
  }
  return key;
}

Result<std::string> Finder::fetchSingle(const ImageRef& ref, const std::string& signature) {
  switch (ref.kind) {
    case ImageKind::kAciArchive:
      return ref.localFile ? fromFile(ref, signature) : fromUrl(ref, signature);
    case ImageKind::kDocker:
      return fromUrl(ref, "");
    case ImageKind::kScheme:
      return fromUrl(ref, signature);
    case ImageKind::kAppc:
      return fromAppc(ref, signature);
    case ImageKind::kHash:
      break;
  }
  return Error{"cannot fetch image ID " + quotedName(ref.input) +
               ": IDs are looked up in the store"};
}

Result<std::optional<std::string>> Finder::storedForUrl(const std::string& url,
                                                        std::optional<RemoteRecord>& record) {
  RKT_TRY_ASSIGN(remote, store_.getRemote(url));
  record = remote;
  if (!remote || remote->key.empty()) {
    return std::optional<std::string>();
  }
  // The record outlives nothing in a consistent store, but another process may be removing the
  // image right now: only a key that still resolves counts.
  RKT_TRY_ASSIGN(key, store_.resolveId(remote->key));
  if (!key) {
    record.reset();
  }
  return key;
}

Result<std::string> Finder::fromFile(const ImageRef& ref, const std::string& signature) {
  // rkt imports files whatever the pull policy says.
  log("using image from file " + displayPath(ref));
  return fetchAndImport(ref, signature, std::nullopt);
}

Result<std::string> Finder::fromUrl(const ImageRef& ref, const std::string& signature) {
  std::optional<RemoteRecord> record;
  RKT_TRY_ASSIGN(stored, storedForUrl(ref.remoteUrl, record));
  if (options_.pullPolicy != PullPolicy::kUpdate && stored) {
    log("using image from local store for url " + ref.remoteUrl);
    return *stored;
  }
  if (options_.pullPolicy == PullPolicy::kNever) {
    return Error{"unable to fetch image from URL " + quotedName(ref.remoteUrl) + notFoundTail()};
  }
  log("remote fetching from URL " + quotedName(ref.remoteUrl));
  return fetchAndImport(ref, signature, record);
}

Result<std::string> Finder::fromAppc(const ImageRef& ref, const std::string& signature) {
  schema::Labels labels = ref.appc.labels;
  // rkt looks for the host's os/arch unless the name asks for others.
  if (!schema::findValue(labels, schema::kLabelOs) ||
      !schema::findValue(labels, schema::kLabelArch)) {
    RKT_TRY_ASSIGN(host, schema::hostOsArch());
    if (!schema::findValue(labels, schema::kLabelOs)) {
      labels.push_back({std::string(schema::kLabelOs), host.os});
    }
    if (!schema::findValue(labels, schema::kLabelArch)) {
      labels.push_back({std::string(schema::kLabelArch), host.arch});
    }
  }
  if (Status st = schema::validateOsArchLabels(labels, schema::rktOsArchTable()); !st) {
    return st.error().wrap("invalid os/arch for image " + quotedName(ref.input));
  }
  if (options_.pullPolicy != PullPolicy::kUpdate) {
    RKT_TRY_ASSIGN(key, store_.resolveName(ref.appc.name, toMap(labels)));
    if (key) {
      log("using image from local store for image name " + ref.appc.toString());
      return *key;
    }
  }
  if (options_.pullPolicy == PullPolicy::kNever) {
    return Error{"unable to fetch image from image name " + quotedName(ref.input) + notFoundTail()};
  }
  maybeFetchPubKeys(ref.appc.name);
  // The fetcher gets the name with the labels looked for (os/arch included), and the fetched
  // manifest is checked against them.
  ImageRef withLabels = ref;
  withLabels.appc.labels = labels;
  withLabels.fetchString = withLabels.appc.toString();
  return fetchAndImport(withLabels, signature, std::nullopt);
}

void Finder::maybeFetchPubKeys(const std::string& name) {
  if (options_.insecure.skipImageCheck() || options_.trustedLocation ||
      options_.keystore == nullptr) {
    return;
  }
  if (options_.keystore->hasKeysForPrefix(name)) {
    debug("keys already exist for prefix " + quotedName(name) + ", not fetching again");
    return;
  }
  const InsecureOptions& insecure = options_.insecure;
  bool allowHttp = false;
  if (insecure.allowInsecurePubkey()) {
    log("signing keys may be downloaded from an insecure connection");
    allowHttp = insecure.allowHttp();
  }
  if (insecure.skipTlsCheck() && !insecure.allowInsecurePubkey()) {
    return;
  }
  trust::PubkeyOptions opts;
  opts.allowHttp = allowHttp;
  opts.insecureTls = insecure.skipTlsCheck();
  opts.trustKeysFromHttps = options_.trustKeysFromHttps;
  opts.debug = options_.debug;
  opts.config = options_.config;
  opts.httpStallTimeout = options_.httpStallTimeout;
  // rkt prints key details on stdout; ours go with the other fetch messages to stderr, so
  // `rkt fetch` keeps printing nothing but image IDs on stdout.
  opts.out = [this](const std::string& line) { log(line); };
  opts.log = [this](const std::string& line) { log(line); };
  opts.interactive = isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1;
  opts.readLine = []() -> Result<std::string> {
    std::string line;
    if (!std::getline(std::cin, line)) {
      return Error{"EOF"};
    }
    return line + "\n";
  };
  trust::PubkeyManager manager(*options_.keystore, opts);
  // Failures are reported, not fatal: an already trusted key may still verify the image.
  auto locations = manager.discoverKeyLocations(name);
  if (!locations) {
    log("error determining key location: " + locations.error().message);
    return;
  }
  auto accept = options_.trustKeysFromHttps ? trust::Accept::kForce : trust::Accept::kAsk;
  if (Status st = manager.addKeys(*locations, name, accept); !st) {
    log("error adding keys: " + st.error().message);
  }
}

Status Finder::checkFetched(const ImageRef& ref, const FetchResult& result, bool verify,
                            const std::string& shown) {
  if (!verify && ref.kind != ImageKind::kAppc) {
    return {};
  }
  RKT_TRY_ASSIGN(manifest, readAciManifest(result.path, shown));
  if (ref.kind == ImageKind::kAppc) {
    if (Status st = validateNameAndLabels(manifest, ref.appc.name, ref.appc.labels); !st) {
      return st;
    }
  }
  if (!verify) {
    return {};
  }
  if (result.signaturePath.empty()) {
    std::string where = ref.localFile ? ref.fetchString : ref.remoteUrl;
    return Error{"error opening signature file: no signature found for " +
                 (where.empty() ? quotedName(ref.input) : quotedName(where))};
  }
  auto signer =
      verifyImageSignature(*options_.keystore, manifest, result.path, result.signaturePath,
                           [this](const std::string& line) { log(line); });
  if (!signer) {
    return signer.error();
  }
  return {};
}

Result<ImportResult> Finder::importFetched(const ImageRef& ref, const FetchResult& result,
                                           bool verify, const std::string& shown) {
  if (result.layers.empty()) {
    if (Status st = checkFetchedFiles(result, shown); !st) {
      return st.error();
    }
    if (Status st = checkFetched(ref, result, verify, shown); !st) {
      return st.error();
    }
    return store_.importImage(result.path, result.latest, shown);
  }
  // An image kept as layers (docker, OCI): unsigned, as docker images were in rkt.
  if (verify) {
    const std::string where = ref.localFile ? ref.fetchString : ref.remoteUrl;
    return Error{"error opening signature file: no signature found for " +
                 (where.empty() ? quotedName(ref.input) : quotedName(where))};
  }
  protocol::store::ImportLayeredImageRequest request;
  request.manifest = result.manifest;
  request.layers = result.layers;
  request.latest = result.latest;
  request.name = shown;
  return store_.importLayeredImage(request);
}

Result<std::string> Finder::fetchAndImport(const ImageRef& ref, const std::string& signature,
                                           std::optional<RemoteRecord> remote) {
  RKT_TRY_ASSIGN(fetcher, fetcherFor(ref));
  if (!options_.insecure.skipImageCheck() && ref.kind == ImageKind::kDocker) {
    return Error{
        "signature verification for docker images is not supported (try "
        "--insecure-options=image)"};
  }
  const bool verify = !options_.insecure.skipImageCheck() && !options_.trustedLocation;
  if (verify && options_.keystore == nullptr) {
    return Error{"cannot verify the signature of image " + quotedName(ref.input) +
                 ": no keystore available"};
  }
  if (options_.insecure.skipImageCheck() && !options_.trustedLocation) {
    log("warning: image signature verification has been disabled");
  }
  RKT_TRY_ASSIGN(downloads, tmpDir());

  FetchRequest request;
  request.image = ref.fetchString;
  request.tmpDir = downloads;
  request.signature = signature;
  request.insecure = fetchInsecureOptions(options_.insecure);
  if (options_.config != nullptr) {
    setFetchCredentials(request, *options_.config);
  }
  request.remote = remote;
  request.debug = options_.debug;
  request.httpStallTimeoutMs = options_.httpStallTimeout.count();
  if (ref.kind == ImageKind::kDocker) {
    // Layers the store holds need no download (a second image on a stored base). Only a
    // saving: a store that cannot list them gets every layer, and the import says what is wrong.
    if (Result<std::vector<ImageRecord>> stored = store_.list()) {
      std::set<std::string> known;
      for (const ImageRecord& image : *stored) {
        known.insert(image.layers.begin(), image.layers.end());
      }
      request.knownLayers.assign(known.begin(), known.end());
    }
  }

  for (int attempt = 0;; ++attempt) {
    RKT_TRY_ASSIGN(result, fetcher->fetch(request));
    // Whatever happens next, what the fetcher downloaded is ours to remove.
    struct Cleanup {
      const FetchResult& r;
      const std::string& dir;
      ~Cleanup() {
        removeIfDownloaded(r.path, dir);
        removeIfDownloaded(r.signaturePath, dir);
        for (const auto& layer : r.layers) {
          removeIfDownloaded(layer.path, dir);
        }
      }
    } cleanup{result, downloads};

    if (result.path.empty() && result.layers.empty()) {
      RKT_TRY_ASSIGN(
          key, store_.resolveId(result.cachedKey.substr(0, protocol::store::kImageKeyLength)));
      if (key) {
        debug("using image from local store for url " + ref.remoteUrl);
        return *key;
      }
      if (attempt > 0 || !request.remote) {
        return Error{"fetcher `" + fetcher->name() + "` reused image " + result.cachedKey +
                     " for " + quotedName(ref.input) + ", which is not in the store"};
      }
      // Removed meanwhile: ask again without the record, which forces a download.
      request.remote.reset();
      continue;
    }

    // Messages name the image as the user knows it, never the download's temporary file.
    const std::string shown = fetchedName(ref, result);
    RKT_TRY_ASSIGN(imported, importFetched(ref, result, verify, shown));
    std::optional<RemoteRecord> downloaded = result.remote;
    if (!downloaded && !ref.remoteUrl.empty()) {
      // As rkt records every image it fetched by URL: `--pull-policy=new` finds it again.
      downloaded = RemoteRecord{};
      downloaded->downloadTime = nowNs();
    }
    if (downloaded) {
      RemoteRecord record = *downloaded;
      record.key = imported.key;
      if (record.url.empty()) {
        record.url = ref.remoteUrl;
      }
      if (!record.url.empty()) {
        if (Status st = store_.putRemote(record); !st) {
          return st.error().wrap("cannot record the download of " + quotedName(record.url));
        }
      }
    }
    return imported.key;
  }
}

Status Finder::fetchDependencies(const std::string& rootKey) {
  std::deque<std::pair<std::string, schema::Dependency>> queue;  // (dependent key, dependency)
  std::set<std::string> seen;
  auto enqueue = [&](const std::string& key) -> Status {
    RKT_TRY_ASSIGN(text, store_.manifest(key));
    RKT_TRY_ASSIGN(manifest, schema::parseImageManifest(text));
    for (const schema::Dependency& dep : manifest.dependencies) {
      AppcName app{dep.imageName, dep.labels};
      const std::string id = app.toString() + "@" + dep.imageId;
      if (seen.insert(id).second) {
        queue.emplace_back(key, dep);
      }
    }
    return {};
  };
  if (Status st = enqueue(rootKey); !st) {
    return st;
  }
  while (!queue.empty()) {
    auto [parent, dep] = queue.front();
    queue.pop_front();
    AppcName app{dep.imageName, dep.labels};
    std::optional<std::string> key;
    if (!dep.imageId.empty()) {
      // The renderer picks a dependency by its image ID when the manifest gives one, so an image
      // with that ID in the store satisfies it.
      RKT_TRY_ASSIGN(byId,
                     store_.resolveId(dep.imageId.substr(0, protocol::store::kImageKeyLength)));
      key = byId;
    }
    if (!key) {
      ImageRef ref;
      ref.kind = ImageKind::kAppc;
      ref.appc = app;
      ref.input = app.toString();
      ref.fetchString = ref.input;
      if (!fetcherInstalled("appc")) {
        // Without discovery the store is the only place a dependency can come from.
        RKT_TRY_ASSIGN(stored, store_.resolveName(app.name, toMap(app.labels)));
        if (!stored) {
          return Error{"cannot fetch dependency " + quotedName(ref.input) + " of image " + parent +
                       ": it is not in the store and no fetcher for appc image names is "
                       "installed (installed fetchers: " +
                       joinNames(*installed_) + ")"};
        }
        debug("using dependency " + ref.input + " from the store: " + *stored);
        key = stored;
      } else {
        Result<std::string> fetched = fetchSingle(ref, "");
        if (!fetched) {
          return fetched.error().wrap("cannot fetch dependency " + quotedName(ref.input) +
                                      " of image " + parent);
        }
        key = *fetched;
      }
    }
    if (Status st = enqueue(*key); !st) {
      return st;
    }
  }
  return {};
}

}  // namespace rkt::image
