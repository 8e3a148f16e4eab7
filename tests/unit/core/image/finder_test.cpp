// The image Finder on a fake store and fake fetchers in the test process: how an image argument
// (ID, file, URL, appc name) turns into store requests and fetches, what the caller gets back,
// and the error, naming the image, for each way it can fail.
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <string>
#include <vector>

#include "core/config/temp_tree.hpp"
#include "core/image/fake_plugins.hpp"
#include "rkt/core/image/finder.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/sdk/protocol/store.hpp"

using plugintest::failure;
using plugintest::reply;
using rkt::image::Finder;
using rkt::image::FinderOptions;
using rkt::image::PullPolicy;
namespace store = rkt::protocol::store;
namespace fetcher = rkt::protocol::fetcher;

namespace {

const std::string kKey = "sha512-" + std::string(64, 'a');
const std::string kBaseKey = "sha512-" + std::string(64, 'b');
const std::string kUrl = "https://example.com/app.aci";

std::string manifestJson(const std::string& name, const std::string& dependencies = "") {
  return R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":")" + name + R"(")" +
         (dependencies.empty() ? "" : R"(,"dependencies":)" + dependencies) + "}";
}

/// A resolve or import_image answer: the key (and, for import_image, a manifest).
plugintest::Answer keyReply(const std::string& key) {
  return reply(R"({"key":")" + key + R"(","manifest":{}})");
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  for (const std::string& l : lines) {
    if (l == line) {
      return true;
    }
  }
  return false;
}

}  // namespace

class FinderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FinderTest);
  CPPUNIT_TEST(imageIdIsResolvedInTheStoreOnly);
  CPPUNIT_TEST(unknownImageId);
  CPPUNIT_TEST(fileIsFetchedAndImported);
  CPPUNIT_TEST(storedUrlIsReusedUnlessUpdating);
  CPPUNIT_TEST(policyNeverWithoutRecord);
  CPPUNIT_TEST(urlDownloadIsRecorded);
  CPPUNIT_TEST(missingFetcherNamesInstalledOnes);
  CPPUNIT_TEST(fetcherFailureReachesTheCaller);
  CPPUNIT_TEST(importFailureReachesTheCaller);
  CPPUNIT_TEST(verificationNeedsAKeystore);
  CPPUNIT_TEST(reusedImageMissingFromTheStore);
  CPPUNIT_TEST(appcNameFromTheStore);
  CPPUNIT_TEST(dependencyFromTheStore);
  CPPUNIT_TEST(dependencyNowhere);
  CPPUNIT_TEST(renderFailure);
  CPPUNIT_TEST(dockerPullPolicies);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    tmp_ = std::make_unique<rkt::test::TempTree>();
    downloads_ = tmp_->mkdir("cas/tmp");
    store_.script.on("info", reply(R"({"root":")" + tmp_->path("cas") + R"(","tmp_dir":")" +
                                   downloads_ + R"("})"));
    store_.script.on("manifest", reply(manifestJson("example.com/app")));
    fetchers_.add("aci-archive", archiveFetcher_);
    fetchers_.add("docker", dockerFetcher_);
    options_.insecure = *rkt::InsecureOptions::parse("image");
    options_.log = [this](const std::string& line) { log_.push_back(line); };
  }

  void tearDown() override { tmp_.reset(); }

  void imageIdIsResolvedInTheStoreOnly() {
    store_.script.on("resolve", keyReply(kKey));
    auto key = find("sha512-aaaaaaaa");
    CPPUNIT_ASSERT_EQUAL(kKey, found(key));
    auto request = decodeOne<store::ResolveRequest>(store_.script, "resolve");
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-aaaaaaaa"), request.id);
    CPPUNIT_ASSERT(fetchers_.opened.empty());
    CPPUNIT_ASSERT((std::vector<std::string>{"resolve"}) == store_.script.ops());
  }

  void unknownImageId() {
    store_.script.on("resolve", failure(RKT_E_NOT_FOUND, "no image IDs found"));
    auto key = find("sha512-abcd");
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL(
        std::string("could not resolve image ID \"sha512-abcd\": no image IDs found"),
        key.error().message);
    CPPUNIT_ASSERT(fetchers_.opened.empty());
  }

  void fileIsFetchedAndImported() {
    const std::string image = tmp_->write("images/app.aci", "an image");
    const std::string downloaded = fetcherDownloads("fetched.aci");
    store_.script.on("import_image", keyReply(kKey));
    auto key = find(image);
    CPPUNIT_ASSERT_EQUAL(kKey, found(key));
    CPPUNIT_ASSERT((std::vector<std::string>{"aci-archive"}) == fetchers_.opened);
    auto fetch = decodeOne<fetcher::FetchRequest>(archiveFetcher_.script, "fetch");
    CPPUNIT_ASSERT_EQUAL(image, fetch.image);
    CPPUNIT_ASSERT_EQUAL(downloads_, fetch.tmpDir);
    CPPUNIT_ASSERT(fetch.insecure.image);
    auto imported = decodeOne<store::ImportImageRequest>(store_.script, "import_image");
    CPPUNIT_ASSERT_EQUAL(downloaded, imported.path);
    // A file has no download record, and what the fetcher left in the download directory is
    // removed once imported.
    CPPUNIT_ASSERT(store_.script.requests("put_remote").empty());
    CPPUNIT_ASSERT(::access(downloaded.c_str(), F_OK) != 0);
    CPPUNIT_ASSERT(contains(log_, "using image from file " + image));
    CPPUNIT_ASSERT(contains(log_, "warning: image signature verification has been disabled"));
    // The dependencies were looked for in the fetched image's manifest.
    CPPUNIT_ASSERT_EQUAL(kKey, decodeOne<store::ManifestRequest>(store_.script, "manifest").key);
  }

  void storedUrlIsReusedUnlessUpdating() {
    store_.script.on("get_remote", reply(R"({"url":")" + kUrl + R"(","key":")" + kKey + R"("})"));
    store_.script.on("resolve", keyReply(kKey));
    auto key = find(kUrl);
    CPPUNIT_ASSERT_EQUAL(kKey, found(key));
    CPPUNIT_ASSERT_EQUAL(kUrl, decodeOne<store::GetRemoteRequest>(store_.script, "get_remote").url);
    CPPUNIT_ASSERT(fetchers_.opened.empty());
    CPPUNIT_ASSERT(contains(log_, "using image from local store for url " + kUrl));

    // --pull-policy=update asks the fetcher, handing it the record for HTTP caching.
    archiveFetcher_.script.on("fetch", reply(R"({"cached_key":")" + kKey + R"("})"));
    options_.pullPolicy = PullPolicy::kUpdate;
    key = find(kUrl);
    CPPUNIT_ASSERT_EQUAL(kKey, found(key));
    auto fetch = decodeOne<fetcher::FetchRequest>(archiveFetcher_.script, "fetch");
    CPPUNIT_ASSERT_EQUAL(kUrl, fetch.image);
    CPPUNIT_ASSERT(fetch.remote.has_value());
    CPPUNIT_ASSERT_EQUAL(kKey, fetch.remote->key);
  }

  void policyNeverWithoutRecord() {
    store_.script.on("get_remote", failure(RKT_E_NOT_FOUND, "no record"));
    options_.pullPolicy = PullPolicy::kNever;
    auto key = find(kUrl);
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL("unable to fetch image from URL \"" + kUrl +
                             "\": either image was not found in the store or store was disabled "
                             "and fetching from remote yielded nothing or it was disabled",
                         key.error().message);
    CPPUNIT_ASSERT(fetchers_.opened.empty());
  }

  void urlDownloadIsRecorded() {
    store_.script.on("get_remote", failure(RKT_E_NOT_FOUND, "no record"));
    archiveFetcher_.script.on("fetch", [&](const std::string&) {
      const std::string path = tmp_->write("cas/tmp/dl.aci", "an image");
      return reply(R"({"path":")" + path + R"(","remote":{"url":")" + kUrl +
                   R"(","etag":"\"e1\"","cache_max_age":60,"download_time":5}})");
    });
    store_.script.on("import_image", keyReply(kKey));
    store_.script.on("put_remote", reply("{}"));
    auto key = find(kUrl);
    CPPUNIT_ASSERT_EQUAL(kKey, found(key));
    // Messages about the import name the URL, not the temporary file.
    CPPUNIT_ASSERT_EQUAL(kUrl,
                         decodeOne<store::ImportImageRequest>(store_.script, "import_image").name);
    auto record = decodeOne<store::PutRemoteRequest>(store_.script, "put_remote");
    CPPUNIT_ASSERT_EQUAL(kUrl, record.url);
    CPPUNIT_ASSERT_EQUAL(kKey, record.key);
    CPPUNIT_ASSERT_EQUAL(std::string("\"e1\""), record.etag);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{60}, record.cacheMaxAge);
    CPPUNIT_ASSERT(contains(log_, "remote fetching from URL \"" + kUrl + "\""));
  }

  void missingFetcherNamesInstalledOnes() {
    imagetest::FakeFetchers onlyDocker;
    imagetest::FakeFetcher docker;
    onlyDocker.add("docker", docker);
    store_.script.on("get_remote", failure(RKT_E_NOT_FOUND, "no record"));
    rkt::image::StoreClient client(plugintest::inProcessInstance(store_, "fake"));
    Finder finder(client, onlyDocker, options_);
    auto key = finder.findImage(kUrl);
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("no fetcher for ACI files and URLs is installed (installed "
                                     "fetchers: docker)"),
                         key.error().message);
    CPPUNIT_ASSERT(onlyDocker.opened.empty());
  }

  void fetcherFailureReachesTheCaller() {
    store_.script.on("get_remote", failure(RKT_E_NOT_FOUND, "no record"));
    archiveFetcher_.script.on(
        "fetch", failure(RKT_E_NETWORK, "error downloading \"" + kUrl + "\": connection refused"));
    auto key = find(kUrl);
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL("error downloading \"" + kUrl + "\": connection refused",
                         key.error().message);
    CPPUNIT_ASSERT(store_.script.requests("import_image").empty());
  }

  void importFailureReachesTheCaller() {
    const std::string downloaded = fetcherDownloads("bad.aci");
    store_.script.on("import_image",
                     failure(RKT_E_INVALID, "cannot import \"" + kUrl + "\": not an ACI"));
    store_.script.on("get_remote", failure(RKT_E_NOT_FOUND, "no record"));
    auto key = find(kUrl);
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL("cannot import \"" + kUrl + "\": not an ACI", key.error().message);
    CPPUNIT_ASSERT(store_.script.requests("put_remote").empty());
    // The download is removed all the same.
    CPPUNIT_ASSERT(::access(downloaded.c_str(), F_OK) != 0);
  }

  void verificationNeedsAKeystore() {
    options_.insecure = rkt::InsecureOptions();
    store_.script.on("get_remote", failure(RKT_E_NOT_FOUND, "no record"));
    auto key = find(kUrl);
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL(
        "cannot verify the signature of image \"" + kUrl + "\": no keystore available",
        key.error().message);
    CPPUNIT_ASSERT(archiveFetcher_.script.requests("fetch").empty());
  }

  void reusedImageMissingFromTheStore() {
    store_.script.on("get_remote", failure(RKT_E_NOT_FOUND, "no record"));
    store_.script.on("resolve", failure(RKT_E_NOT_FOUND, "no image IDs found"));
    archiveFetcher_.script.on("fetch", reply(R"({"cached_key":")" + kKey + R"("})"));
    auto key = find(kUrl);
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL("fetcher `aci-archive` reused image " + kKey + " for \"" + kUrl +
                             "\", which is not in the store",
                         key.error().message);
  }

  void appcNameFromTheStore() {
    store_.script.on("resolve", keyReply(kKey));
    auto key = find("example.com/app:1.0,os=linux,arch=amd64");
    CPPUNIT_ASSERT_EQUAL(kKey, found(key));
    auto request = decodeOne<store::ResolveRequest>(store_.script, "resolve");
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app"), request.name);
    CPPUNIT_ASSERT(request.labels.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("1.0"), request.labels->at("version"));
    CPPUNIT_ASSERT_EQUAL(std::string("linux"), request.labels->at("os"));
    CPPUNIT_ASSERT_EQUAL(std::string("amd64"), request.labels->at("arch"));
    CPPUNIT_ASSERT(fetchers_.opened.empty());
  }

  void dependencyFromTheStore() {
    store_.script.on("resolve", [](const std::string& request) {
      // The image by its ID, its dependency by name (no fetcher for appc names is installed).
      auto r = rkt::protocol::decode<store::ResolveRequest>(request);
      return keyReply(r.id.empty() ? kBaseKey : kKey);
    });
    store_.script.on("manifest", [](const std::string& request) {
      auto r = rkt::protocol::decode<store::ManifestRequest>(request);
      return reply(r.key == kKey
                       ? manifestJson("example.com/app", R"([{"imageName":"example.com/base"}])")
                       : manifestJson("example.com/base"));
    });
    auto key = find(kKey);
    CPPUNIT_ASSERT_EQUAL(kKey, found(key));
    // An image ID is not fetched, so its dependencies are not looked at either.
    CPPUNIT_ASSERT(store_.script.requests("manifest").empty());

    // A fetched image's are.
    fetcherDownloads("app.aci");
    store_.script.on("import_image", keyReply(kKey));
    key = find(tmp_->write("images/app.aci", "an image"));
    CPPUNIT_ASSERT_EQUAL(kKey, found(key));
    std::vector<std::string> manifests = store_.script.requests("manifest");
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, manifests.size());
    CPPUNIT_ASSERT_EQUAL(kBaseKey, rkt::protocol::decode<store::ManifestRequest>(manifests[1]).key);
    auto byName =
        rkt::protocol::decode<store::ResolveRequest>(store_.script.requests("resolve").back());
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/base"), byName.name);
  }

  void dependencyNowhere() {
    store_.script.on("manifest", reply(manifestJson("example.com/app",
                                                    R"([{"imageName":"example.com/base"}])")));
    store_.script.on("resolve", failure(RKT_E_NOT_FOUND, "no image found"));
    fetcherDownloads("app.aci");
    store_.script.on("import_image", keyReply(kKey));
    auto key = find(tmp_->write("images/app.aci", "an image"));
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL("cannot fetch dependency \"example.com/base\" of image " + kKey +
                             ": it is not in the store and no fetcher for appc image names is "
                             "installed (installed fetchers: aci-archive, docker)",
                         key.error().message);
  }

  void renderFailure() {
    options_.render = true;
    store_.script.on("resolve", keyReply(kKey));
    // Only images that are fetched are rendered.
    CPPUNIT_ASSERT(find(kKey).ok());
    CPPUNIT_ASSERT(store_.script.requests("render").empty());

    fetcherDownloads("app.aci");
    store_.script.on("import_image", keyReply(kKey));
    store_.script.on("render", failure(RKT_E_IO, "cannot render \"" + kKey + "\": disk full"));
    auto key = find(tmp_->write("images/app.aci", "an image"));
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL("error rendering tree store: cannot render \"" + kKey + "\": disk full",
                         key.error().message);
    auto render = decodeOne<store::RenderRequest>(store_.script, "render");
    CPPUNIT_ASSERT_EQUAL(kKey, render.key);
    CPPUNIT_ASSERT(!render.rebuild);
  }

 private:
  /// The key a find returned; the find's error fails the test.
  static std::string found(const rkt::Result<std::string>& key) {
    CPPUNIT_ASSERT_MESSAGE(key ? "" : key.error().message, key.ok());
    return *key;
  }

  /// Every fetch of the aci-archive fetcher downloads `name` into the store's download
  /// directory; returns the download's path.
  std::string fetcherDownloads(const std::string& name) {
    const std::string path = downloads_ + "/" + name;
    archiveFetcher_.script.on("fetch", [this, name, path](const std::string&) {
      tmp_->write("cas/tmp/" + name, "an image");
      return reply(R"({"path":")" + path + R"("})");
    });
    return path;
  }

  /// findImage() with a Finder on the fakes and options_, as each test set them.
  // rkt: a docker image is found in the store by the reference as typed (its `remote` record),
  // without asking the registry under `new`; `update` hands the record to the fetcher, which
  // asks for the manifest once and answers cached_key when the digest is the stored one.
  void dockerPullPolicies() {
    const std::string image = "docker://127.0.0.1:5000/app:1";
    store_.script.on("get_remote", reply(R"({"url":")" + image + R"(","etag":"sha256:d","key":")" +
                                         kKey + R"("})"));
    store_.script.on("resolve", keyReply(kKey));
    CPPUNIT_ASSERT_EQUAL(kKey, found(find(image)));
    CPPUNIT_ASSERT(fetchers_.opened.empty());
    CPPUNIT_ASSERT(contains(log_, "using image from local store for url " + image));

    dockerFetcher_.script.on("fetch", reply(R"({"cached_key":")" + kKey + R"("})"));
    options_.pullPolicy = PullPolicy::kUpdate;
    CPPUNIT_ASSERT_EQUAL(kKey, found(find(image)));
    auto fetch = decodeOne<fetcher::FetchRequest>(dockerFetcher_.script, "fetch");
    CPPUNIT_ASSERT_EQUAL(image, fetch.image);
    CPPUNIT_ASSERT(fetch.remote.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("sha256:d"), fetch.remote->etag);
    CPPUNIT_ASSERT(store_.script.requests("import_image").empty());
  }

  rkt::Result<std::string> find(const std::string& image) {
    rkt::image::StoreClient client(plugintest::inProcessInstance(store_, "fake"));
    Finder finder(client, fetchers_, options_);
    return finder.findImage(image);
  }

  /// The last request `op` received, decoded as the plugin would.
  template <class Request>
  static Request decodeOne(const plugintest::Script& script, const std::string& op) {
    std::vector<std::string> requests = script.requests(op);
    CPPUNIT_ASSERT_MESSAGE("no `" + op + "` request", !requests.empty());
    return rkt::protocol::decode<Request>(requests.back());
  }

  std::unique_ptr<rkt::test::TempTree> tmp_;
  std::string downloads_;
  imagetest::FakeStore store_;
  imagetest::FakeFetcher archiveFetcher_;
  imagetest::FakeFetcher dockerFetcher_;
  imagetest::FakeFetchers fetchers_;
  FinderOptions options_;
  std::vector<std::string> log_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FinderTest);
