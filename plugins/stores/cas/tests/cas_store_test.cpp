// CasStore operations: publish, resolve, getACI rules, list, remove, remote rows, trees, gc.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/file.h>

#include <map>
#include <thread>

#include "cas_test_util.hpp"

namespace rkt::cas::test {
namespace {

const std::string kApp = "example.com/app";

// Runs `fn`, expecting rkt::sdk::Error with `code` and a message containing `text`.
template <class Fn>
void expectError(Fn&& fn, rkt_status code, const std::string& text) {
  try {
    fn();
  } catch (const Error& e) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(e.what(), static_cast<int>(code), static_cast<int>(e.code()));
    CPPUNIT_ASSERT_MESSAGE(std::string("message: ") + e.what(),
                           std::string(e.what()).find(text) != std::string::npos);
    return;
  }
  CPPUNIT_FAIL("expected an error containing: " + text);
}

}  // namespace

}  // namespace rkt::cas::test

using namespace rkt::cas;
using namespace rkt::cas::test;

class CasStoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CasStoreTest);
  CPPUNIT_TEST(publishRecordsImage);
  CPPUNIT_TEST(resolveKeyPrefixRules);
  CPPUNIT_TEST(resolveKeyAmbiguous);
  CPPUNIT_TEST(republishIsIdempotent);
  CPPUNIT_TEST(publishRejectsBadInput);
  CPPUNIT_TEST(publishCopiesAcrossFilesystems);
  CPPUNIT_TEST(getACIPrefersLatestThenNewestImport);
  CPPUNIT_TEST(getACIWithVersionIgnoresLatest);
  CPPUNIT_TEST(getACINotFound);
  CPPUNIT_TEST(listReportsImages);
  CPPUNIT_TEST(manifestBlobAndLastUsed);
  CPPUNIT_TEST(removeDeletesRowsRemotesAndFiles);
  CPPUNIT_TEST(removeReportsStaleFiles);
  CPPUNIT_TEST(remoteUpsertReplacesRow);
  CPPUNIT_TEST(treeBookkeeping);
  CPPUNIT_TEST(gcSelectsUnusedImagesPastGrace);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { dir_ = std::make_unique<ScratchDir>(); }
  void tearDown() override { dir_.reset(); }

  void publishRecordsImage() {
    CasStore store(dir_->cas());
    TimePoint before = Clock::now();
    std::string key = publishContent(store, "image one", manifestJson(kApp), true);
    auto info = store.info(key);
    CPPUNIT_ASSERT(info);
    CPPUNIT_ASSERT_EQUAL(key, info->key);
    CPPUNIT_ASSERT_EQUAL(kApp, info->name);
    CPPUNIT_ASSERT_EQUAL(int64_t{9}, info->size);
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, info->treeStoreSize);
    CPPUNIT_ASSERT(info->latest);
    CPPUNIT_ASSERT(info->importTime >= before && info->importTime <= Clock::now());
    CPPUNIT_ASSERT(info->importTime == info->lastUsed);
    CPPUNIT_ASSERT(!store.info(keyOf("never published")));
  }

  void resolveKeyPrefixRules() {
    CasStore store(dir_->cas());
    std::string key = publishContent(store, "resolve me", manifestJson(kApp));
    CPPUNIT_ASSERT_EQUAL(key, store.resolveKey(key));
    CPPUNIT_ASSERT_EQUAL(key, store.resolveKey(key.substr(0, 9)));          // the minimum
    CPPUNIT_ASSERT_EQUAL(key, store.resolveKey(key.substr(0, 19)));         // rkt's short ID
    CPPUNIT_ASSERT_EQUAL(key, store.resolveKey(key + "0123456789abcdef"));  // truncated
    expectError([&] { store.resolveKey(key.substr(0, 8)); }, RKT_E_INVALID, "too short");
    expectError([&] { store.resolveKey("sha256-" + key.substr(7)); }, RKT_E_INVALID,
                "wrong image ID prefix");
    std::string other = keyOf("not in the store");
    if (other.compare(0, 9, key, 0, 9) == 0) {
      other = keyOf("not in the store either");
    }
    expectError([&] { store.resolveKey(other.substr(0, 9)); }, RKT_E_NOT_FOUND,
                "no image IDs found");
  }

  void resolveKeyAmbiguous() {
    // Two real contents whose keys share the first three hex digits.
    std::map<std::string, std::string> byPrefix;
    std::string a, b;
    for (int i = 0; a.empty(); ++i) {
      std::string content = "content " + std::to_string(i);
      std::string p = keyOf(content).substr(0, 10);
      auto [it, inserted] = byPrefix.emplace(p, content);
      if (!inserted) {
        a = it->second;
        b = content;
      }
    }
    CasStore store(dir_->cas());
    std::string ka = publishContent(store, a, manifestJson(kApp));
    std::string kb = publishContent(store, b, manifestJson(kApp));
    expectError([&] { store.resolveKey(ka.substr(0, 10)); }, RKT_E_INVALID, "ambiguous image ID");
    CPPUNIT_ASSERT_EQUAL(ka, store.resolveKey(ka.substr(0, 30)));
    CPPUNIT_ASSERT_EQUAL(kb, store.resolveKey(kb.substr(0, 30)));
  }

  void republishIsIdempotent() {
    CasStore store(dir_->cas());
    std::string key = publishContent(store, "same bytes", manifestJson(kApp), false);
    CPPUNIT_ASSERT(store.setTreeStoreSize(key, 4096));
    TimePoint firstImport = store.info(key)->importTime;
    CPPUNIT_ASSERT_EQUAL(key, publishContent(store, "same bytes", manifestJson(kApp), true));
    auto images = store.list();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, images.size());
    CPPUNIT_ASSERT(images[0].importTime > firstImport);
    CPPUNIT_ASSERT(images[0].latest);
    CPPUNIT_ASSERT_EQUAL(int64_t{4096}, images[0].treeStoreSize);
    CPPUNIT_ASSERT_EQUAL(std::string("same bytes"), slurp(store.blobPath(key)));
    CPPUNIT_ASSERT_EQUAL(size_t{1},
                         entries(dir_->cas() + "/blob/sha512/" + key.substr(7, 2)).size());
  }

  void publishRejectsBadInput() {
    CasStore store(dir_->cas());
    const std::string content = "some image";
    const std::string key = keyOf(content);
    TempFile tmp = store.createTempFile("test");
    writeFile(tmp.path(), content);
    expectError([&] { store.publish(tmp.path(), key, 3, manifestJson(kApp), false); },
                RKT_E_INVALID, "expected 3");
    expectError([&] { store.publish(tmp.path(), "sha512-abc", 10, manifestJson(kApp), false); },
                RKT_E_INVALID, "invalid image key");
    expectError([&] { store.publish(tmp.path(), key, 10, "{not json", false); }, RKT_E_INVALID,
                "invalid image manifest");
    expectError([&] { store.publish(tmp.path(), key, 10, R"({"labels":[]})", false); },
                RKT_E_INVALID, "no `name`");
    expectError(
        [&] { store.publish(tmp.path(), key, 10, R"({"name":"x","labels":[{"name":1}]})", false); },
        RKT_E_INVALID, "invalid image manifest");
    expectError(
        [&] { store.publish(dir_->path() + "/missing", key, 10, manifestJson(kApp), false); },
        RKT_E_NOT_FOUND, "cannot open image file");
    // Nothing was stored, and the caller still owns its file.
    CPPUNIT_ASSERT(store.list().empty());
    CPPUNIT_ASSERT(exists(tmp.path()));
    CPPUNIT_ASSERT(!exists(dir_->cas() + "/blob/sha512/" + key.substr(7, 2) + "/" + key));
  }

  void publishCopiesAcrossFilesystems() {
    struct stat shm {};
    struct stat tmp {};
    if (::stat("/dev/shm", &shm) != 0 || ::stat(dir_->path().c_str(), &tmp) != 0 ||
        shm.st_dev == tmp.st_dev) {
      return;  // no second filesystem to copy from here
    }
    CasStore store(dir_->cas());
    std::string src = "/dev/shm/rkt-cas-test-" + std::to_string(::getpid());
    writeFile(src, "from another filesystem");
    std::string key = keyOf("from another filesystem");
    store.publish(src, key, 23, manifestJson(kApp), false);
    CPPUNIT_ASSERT(!exists(src));
    CPPUNIT_ASSERT_EQUAL(std::string("from another filesystem"), slurp(store.blobPath(key)));
    CPPUNIT_ASSERT(entries(dir_->cas() + "/tmp").empty());
  }

  // A: 1.0 latest, B: 2.0 latest, C: 3.0 not latest, D: 1.0 arm64 not latest (import order).
  void publishVersions(CasStore& store, std::string keys[4]) {
    keys[0] = publishContent(
        store, "A", manifestJson(kApp, {{"version", "1.0"}, {"os", "linux"}, {"arch", "amd64"}}),
        true);
    keys[1] = publishContent(
        store, "B", manifestJson(kApp, {{"version", "2.0"}, {"os", "linux"}, {"arch", "amd64"}}),
        true);
    keys[2] = publishContent(
        store, "C", manifestJson(kApp, {{"version", "3.0"}, {"os", "linux"}, {"arch", "amd64"}}),
        false);
    keys[3] = publishContent(
        store, "D", manifestJson(kApp, {{"version", "1.0"}, {"os", "linux"}, {"arch", "arm64"}}),
        false);
    publishContent(store, "E", manifestJson("example.com/other", {{"version", "1.0"}}), true);
  }

  void getACIPrefersLatestThenNewestImport() {
    CasStore store(dir_->cas());
    std::string k[4];
    publishVersions(store, k);
    // No version requested: latest images win over the newer C and D; B is the newer latest.
    CPPUNIT_ASSERT_EQUAL(k[1], store.getACI(kApp));
    CPPUNIT_ASSERT_EQUAL(k[1], store.getACI(kApp, {{"os", "linux"}}));
    // Only D is arm64: it wins although not latest.
    CPPUNIT_ASSERT_EQUAL(k[3], store.getACI(kApp, {{"arch", "arm64"}}));
    // Re-importing A makes it the newest latest image.
    publishContent(store, "A",
                   manifestJson(kApp, {{"version", "1.0"}, {"os", "linux"}, {"arch", "amd64"}}),
                   true);
    CPPUNIT_ASSERT_EQUAL(k[0], store.getACI(kApp));
  }

  void getACIWithVersionIgnoresLatest() {
    CasStore store(dir_->cas());
    std::string k[4];
    publishVersions(store, k);
    // A (latest) and D both are 1.0: with a version requested only importtime counts.
    CPPUNIT_ASSERT_EQUAL(k[3], store.getACI(kApp, {{"version", "1.0"}}));
    CPPUNIT_ASSERT_EQUAL(k[0], store.getACI(kApp, {{"version", "1.0"}, {"arch", "amd64"}}));
    CPPUNIT_ASSERT_EQUAL(k[2], store.getACI(kApp, {{"version", "3.0"}}));
  }

  void getACINotFound() {
    CasStore store(dir_->cas());
    std::string k[4];
    publishVersions(store, k);
    expectError([&] { store.getACI("example.com/none"); }, RKT_E_NOT_FOUND,
                "cannot find aci satisfying name `example.com/none`");
    expectError(
        [&] {
          store.getACI(kApp, {{"version", "9.0"}});
        },
        RKT_E_NOT_FOUND, "labels `version=9.0`");
    expectError(
        [&] {
          store.getACI(kApp, {{"version", "1.0"}, {"arch", "s390x"}});
        },
        RKT_E_NOT_FOUND, "in the local store");
  }

  void listReportsImages() {
    CasStore store(dir_->cas());
    CPPUNIT_ASSERT(store.list().empty());
    std::string k[4];
    publishVersions(store, k);
    auto images = store.list();
    CPPUNIT_ASSERT_EQUAL(size_t{5}, images.size());
    const char* versions[] = {"1.0", "2.0", "3.0", "1.0", "1.0"};
    for (size_t i = 0; i < images.size(); ++i) {
      if (i < 4) {
        CPPUNIT_ASSERT_EQUAL(k[i], images[i].key);  // oldest import first
        CPPUNIT_ASSERT_EQUAL(kApp, images[i].name);
      }
      CPPUNIT_ASSERT_EQUAL(std::string(versions[i]), images[i].version);
      CPPUNIT_ASSERT_EQUAL(int64_t{1}, images[i].size);
      if (i > 0) {
        CPPUNIT_ASSERT(images[i].importTime > images[i - 1].importTime);
      }
    }
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/other"), images[4].name);
    Labels d{{"version", "1.0"}, {"os", "linux"}, {"arch", "arm64"}};
    CPPUNIT_ASSERT(d == images[3].labels);
    CPPUNIT_ASSERT(store.info(k[3])->labels.empty());  // info() reads only the index
    CPPUNIT_ASSERT(images[0].latest && images[1].latest && !images[2].latest);
  }

  void manifestBlobAndLastUsed() {
    CasStore store(dir_->cas());
    std::string json = manifestJson(kApp, {{"version", "1.0"}});
    std::string key = publishContent(store, "read me", json);
    CPPUNIT_ASSERT_EQUAL(json, store.manifest(key));
    {
      FileLock reading = store.lockImage(key, LockMode::kShared);
      CPPUNIT_ASSERT_EQUAL(std::string("read me"), slurp(store.blobPath(key)));
      // Readers share; a writer would have to wait.
      CPPUNIT_ASSERT(FileLock::tryLockPath(dir_->cas() + "/imagelocks/" + key, LockMode::kShared));
      CPPUNIT_ASSERT(
          !FileLock::tryLockPath(dir_->cas() + "/imagelocks/" + key, LockMode::kExclusive));
      store.touchLastUsed(key);
    }
    auto info = store.info(key);
    CPPUNIT_ASSERT(info->lastUsed > info->importTime);
    std::string unknown = keyOf("unknown");
    expectError([&] { store.manifest(unknown); }, RKT_E_NOT_FOUND, "cannot find image");
    expectError([&] { store.blobPath(unknown); }, RKT_E_NOT_FOUND, "cannot find image");
    expectError([&] { store.touchLastUsed(unknown); }, RKT_E_NOT_FOUND, "cannot find image");
    expectError([&] { store.manifest("sha512-zz"); }, RKT_E_INVALID, "invalid image key");
  }

  void removeDeletesRowsRemotesAndFiles() {
    CasStore store(dir_->cas());
    std::string a = publishContent(store, "remove me", manifestJson(kApp));
    std::string b = publishContent(store, "keep me", manifestJson(kApp));
    store.upsertRemote({"https://example.com/a.aci", "", "", a, 0, Clock::now()});
    store.upsertRemote({"docker://example/a", "", "", a, 0, Clock::now()});
    store.upsertRemote({"https://example.com/b.aci", "", "", b, 0, Clock::now()});
    std::string blob = store.blobPath(a);
    std::string manifest = dir_->cas() + "/imageManifest/sha512/" + a.substr(7, 2) + "/" + a;
    CPPUNIT_ASSERT(exists(blob) && exists(manifest));

    store.remove(a);
    CPPUNIT_ASSERT(!store.info(a));
    CPPUNIT_ASSERT(!store.getRemote("https://example.com/a.aci"));
    CPPUNIT_ASSERT(!store.getRemote("docker://example/a"));
    CPPUNIT_ASSERT(!exists(blob));
    CPPUNIT_ASSERT(!exists(manifest));
    CPPUNIT_ASSERT(!exists(dir_->cas() + "/imagelocks/" + a));
    expectError([&] { store.resolveKey(a); }, RKT_E_NOT_FOUND, "no image IDs found");
    expectError([&] { store.remove(a); }, RKT_E_NOT_FOUND, "cannot find image");
    // The other image and its remote row are untouched.
    CPPUNIT_ASSERT(store.info(b));
    CPPUNIT_ASSERT_EQUAL(b, store.getRemote("https://example.com/b.aci")->blobKey);
    CPPUNIT_ASSERT_EQUAL(std::string("keep me"), slurp(store.blobPath(b)));
  }

  void removeReportsStaleFiles() {
    CasStore store(dir_->cas());
    std::string key = publishContent(store, "stale", manifestJson(kApp));
    // Make the blob impossible to unlink: replace it by a non-empty directory.
    std::string blob = store.blobPath(key);
    std::filesystem::remove(blob);
    std::filesystem::create_directories(blob + "/x");
    expectError([&] { store.remove(key); }, RKT_E_IO, "removed but left some stale files");
    CPPUNIT_ASSERT(!store.info(key));  // the rows are gone all the same
    CPPUNIT_ASSERT(!exists(dir_->cas() + "/imageManifest/sha512/" + key.substr(7, 2) + "/" + key));
  }

  void remoteUpsertReplacesRow() {
    CasStore store(dir_->cas());
    std::string a = publishContent(store, "v1", manifestJson(kApp));
    std::string b = publishContent(store, "v2", manifestJson(kApp));
    const std::string url = "https://example.com/app.aci";
    CPPUNIT_ASSERT(!store.getRemote(url));
    TimePoint t1 = Clock::now();
    store.upsertRemote({url, url + ".asc", "\"e1\"", a, 60, t1});
    auto r = store.getRemote(url);
    CPPUNIT_ASSERT(r);
    CPPUNIT_ASSERT_EQUAL(url, r->aciUrl);
    CPPUNIT_ASSERT_EQUAL(url + ".asc", r->sigUrl);
    CPPUNIT_ASSERT_EQUAL(std::string("\"e1\""), r->etag);
    CPPUNIT_ASSERT_EQUAL(a, r->blobKey);
    CPPUNIT_ASSERT_EQUAL(int64_t{60}, r->cacheMaxAge);
    CPPUNIT_ASSERT(r->downloadTime == t1);

    TimePoint t2 = t1 + std::chrono::seconds(5);
    store.upsertRemote({url, "", "\"e2\"", b, 0, t2});
    r = store.getRemote(url);
    CPPUNIT_ASSERT_EQUAL(b, r->blobKey);
    CPPUNIT_ASSERT_EQUAL(std::string("\"e2\""), r->etag);
    CPPUNIT_ASSERT_EQUAL(std::string(""), r->sigUrl);
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, r->cacheMaxAge);
    CPPUNIT_ASSERT(r->downloadTime == t2);
    // Removing the image the URL pointed at before does not touch the row any more.
    store.remove(a);
    CPPUNIT_ASSERT_EQUAL(b, store.getRemote(url)->blobKey);

    expectError(
        [&] {
          store.upsertRemote({url, "", "", keyOf("nothing"), 0, t2});
        },
        RKT_E_NOT_FOUND, "cannot record remote");
    CPPUNIT_ASSERT_EQUAL(b, store.getRemote(url)->blobKey);
  }

  void treeBookkeeping() {
    CasStore store(dir_->cas());
    std::string key = publishContent(store, "tree", manifestJson(kApp));
    CPPUNIT_ASSERT(store.setTreeStoreSize(key, 12345));
    CPPUNIT_ASSERT_EQUAL(int64_t{12345}, store.list()[0].treeStoreSize);
    CPPUNIT_ASSERT(store.setTreeStoreSize(key, 0));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store.info(key)->treeStoreSize);
    CPPUNIT_ASSERT(!store.setTreeStoreSize(keyOf("gone"), 7));

    std::string id = "deps-" + keyOf("a,b");
    FileLock rendering = store.lockTree(id, LockMode::kExclusive);
    CPPUNIT_ASSERT_EQUAL(0660, modeOf(dir_->cas() + "/treestorelocks/" + id));
    CPPUNIT_ASSERT(
        !FileLock::tryLockPath(dir_->cas() + "/treestorelocks/" + id, LockMode::kShared));
    rendering = FileLock();
    CPPUNIT_ASSERT(FileLock::tryLockPath(dir_->cas() + "/treestorelocks/" + id, LockMode::kShared));
    expectError([&] { store.lockTree(key, LockMode::kShared); }, RKT_E_INVALID,
                "invalid tree store ID");
  }

  void gcSelectsUnusedImagesPastGrace() {
    using std::chrono::hours;
    CasStore store(dir_->cas());
    std::string a = publishContent(store, "a", manifestJson(kApp));
    std::string b = publishContent(store, "b", manifestJson(kApp));
    std::string c = publishContent(store, "c", manifestJson(kApp));
    store.touchLastUsed(a);  // now the most recently used
    TimePoint later = Clock::now() + hours(2);
    CPPUNIT_ASSERT(store.gcCandidates(hours(24), {}).empty());
    CPPUNIT_ASSERT(store.gcCandidates(hours(3), {}, later).empty());
    std::vector<std::string> all{b, c, a};
    CPPUNIT_ASSERT(all == store.gcCandidates(hours(1), {}, later));
    std::vector<std::string> notRunning{b, a};
    CPPUNIT_ASSERT(notRunning == store.gcCandidates(hours(1), {c}, later));
  }

 private:
  std::unique_ptr<ScratchDir> dir_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CasStoreTest);
