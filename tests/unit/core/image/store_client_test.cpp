// The core's client of a store plugin, on a fake store in the test process: what request each
// method sends, what the caller gets back, and how the store's failures and missing ops reach
// the caller.
#include <cppunit/extensions/HelperMacros.h>

#include <cerrno>

#include "core/image/fake_plugins.hpp"
#include "rkt/core/image/store_client.hpp"
#include "rkt/sdk/protocol/store.hpp"

using plugintest::failure;
using plugintest::reply;
using rkt::image::StoreClient;
namespace store = rkt::protocol::store;

namespace {

const std::string kKey = "sha512-" + std::string(64, 'a');

template <class Request>
Request sent(const plugintest::Script& script, const std::string& op) {
  std::vector<std::string> requests = script.requests(op);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(op, std::size_t{1}, requests.size());
  return rkt::protocol::decode<Request>(requests.front());
}

}  // namespace

class StoreClientTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(StoreClientTest);
  CPPUNIT_TEST(infoIsDecoded);
  CPPUNIT_TEST(importSendsPathLatestAndName);
  CPPUNIT_TEST(resolveById);
  CPPUNIT_TEST(resolveByNameSendsLabels);
  CPPUNIT_TEST(storeMessagesReachTheCaller);
  CPPUNIT_TEST(failureWithoutMessageNamesTheOp);
  CPPUNIT_TEST(malformedAnswersAreErrors);
  CPPUNIT_TEST(opsTheStoreLacksAreNamed);
  CPPUNIT_TEST(removeOfAMissingImage);
  CPPUNIT_TEST(remoteRecords);
  CPPUNIT_TEST(verifyStatuses);
  CPPUNIT_TEST(readsAndLists);
  CPPUNIT_TEST_SUITE_END();

 public:
  void infoIsDecoded() {
    imagetest::FakeStore fake;
    fake.script.on("info", reply(R"({"root":"/d/cas","tmp_dir":"/d/cas/tmp"})"));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    rkt::Result<rkt::image::StoreInfo> info = client.info();
    CPPUNIT_ASSERT_MESSAGE(info ? "" : info.error().message, info.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("/d/cas"), info->root);
    CPPUNIT_ASSERT_EQUAL(std::string("/d/cas/tmp"), info->tmpDir);
    CPPUNIT_ASSERT(client.rendersTrees());
  }

  void importSendsPathLatestAndName() {
    imagetest::FakeStore fake;
    fake.script.on("import_image", reply(R"({"key":")" + kKey + R"(","manifest":{"name":"a"}})"));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    auto imported = client.importImage("/tmp/dl/x.aci", true, "https://example.com/x.aci");
    CPPUNIT_ASSERT_MESSAGE(imported ? "" : imported.error().message, imported.ok());
    CPPUNIT_ASSERT_EQUAL(kKey, imported->key);
    auto request = sent<store::ImportImageRequest>(fake.script, "import_image");
    CPPUNIT_ASSERT_EQUAL(std::string("/tmp/dl/x.aci"), request.path);
    CPPUNIT_ASSERT(request.latest);
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/x.aci"), request.name);
  }

  void resolveById() {
    imagetest::FakeStore fake;
    fake.script.on("resolve", reply(R"({"key":")" + kKey + R"("})"));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    auto key = client.resolveId("sha512-aaaa");
    CPPUNIT_ASSERT(key.ok());
    CPPUNIT_ASSERT(key->has_value());
    CPPUNIT_ASSERT_EQUAL(kKey, **key);
    auto request = sent<store::ResolveRequest>(fake.script, "resolve");
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-aaaa"), request.id);
    CPPUNIT_ASSERT(request.name.empty());

    // Nothing matching is an answer, not an error.
    fake.script.on("resolve", failure(RKT_E_NOT_FOUND, "no image IDs found"));
    key = client.resolveId("sha512-bbbb");
    CPPUNIT_ASSERT(key.ok());
    CPPUNIT_ASSERT(!key->has_value());
  }

  void resolveByNameSendsLabels() {
    imagetest::FakeStore fake;
    fake.script.on("resolve", reply(R"({"key":")" + kKey + R"("})"));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    auto key = client.resolveName("example.com/app", {{"version", "1.0"}, {"os", "linux"}});
    CPPUNIT_ASSERT(key.ok() && key->has_value());
    auto request = sent<store::ResolveRequest>(fake.script, "resolve");
    CPPUNIT_ASSERT(request.id.empty());
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app"), request.name);
    CPPUNIT_ASSERT(request.labels.has_value());
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, request.labels->size());
    CPPUNIT_ASSERT_EQUAL(std::string("1.0"), request.labels->at("version"));
    CPPUNIT_ASSERT_EQUAL(std::string("linux"), request.labels->at("os"));
  }

  void storeMessagesReachTheCaller() {
    imagetest::FakeStore fake;
    fake.script.on("resolve", failure(RKT_E_INVALID, "image ID \"sha512-a\" is too short"));
    fake.script.on(
        "import_image",
        failure(RKT_E_IO, "cannot import \"/tmp/x.aci\": No space left on device", ENOSPC));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    auto key = client.resolveId("sha512-a");
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("image ID \"sha512-a\" is too short"), key.error().message);
    auto imported = client.importImage("/tmp/x.aci", false);
    CPPUNIT_ASSERT(!imported.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("cannot import \"/tmp/x.aci\": No space left on device"),
                         imported.error().message);
    CPPUNIT_ASSERT_EQUAL(ENOSPC, imported.error().sysErrno);
  }

  void failureWithoutMessageNamesTheOp() {
    imagetest::FakeStore fake;
    fake.script.on("manifest", failure(RKT_E_IO, "", EIO));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    auto manifest = client.manifest(kKey);
    CPPUNIT_ASSERT(!manifest.ok());
    CPPUNIT_ASSERT_MESSAGE(manifest.error().message,
                           manifest.error().message.rfind("store `manifest` failed: ", 0) == 0);
    CPPUNIT_ASSERT_EQUAL(EIO, manifest.error().sysErrno);
  }

  void malformedAnswersAreErrors() {
    imagetest::FakeStore fake;
    fake.script.on("info", reply(R"({"root":5})"));
    fake.script.on("resolve", reply("not json"));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    auto info = client.info();
    CPPUNIT_ASSERT(!info.ok());
    CPPUNIT_ASSERT_MESSAGE(info.error().message,
                           info.error().message.rfind("invalid info result", 0) == 0);
    auto key = client.resolveId("sha512-aaaa");
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_MESSAGE(key.error().message,
                           key.error().message.rfind("invalid resolve result", 0) == 0);
  }

  void opsTheStoreLacksAreNamed() {
    imagetest::InfoOnlyStore fake;
    StoreClient client(plugintest::inProcessInstance(fake, "minimal"));
    CPPUNIT_ASSERT(!client.rendersTrees());
    auto rendered = client.render(kKey, false);
    CPPUNIT_ASSERT(!rendered.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("store `minimal` does not support `render`"),
                         rendered.error().message);
    auto key = client.resolveId("sha512-aaaa");
    CPPUNIT_ASSERT(!key.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("store `minimal` does not support `resolve`"),
                         key.error().message);
    // The host never called into the plugin for them.
    CPPUNIT_ASSERT(fake.script.ops().empty());
  }

  void removeOfAMissingImage() {
    imagetest::FakeStore fake;
    fake.script.on("remove",
                   failure(RKT_E_NOT_FOUND, "image \"" + kKey + "\" is not in the store"));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    bool notFound = false;
    CPPUNIT_ASSERT(client.remove(kKey, &notFound).ok());
    CPPUNIT_ASSERT(notFound);
    rkt::Status removed = client.remove(kKey);
    CPPUNIT_ASSERT(!removed.ok());
    CPPUNIT_ASSERT_EQUAL("image \"" + kKey + "\" is not in the store", removed.error().message);
    std::vector<std::string> requests = fake.script.requests("remove");
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, requests.size());
    CPPUNIT_ASSERT_EQUAL(kKey, rkt::protocol::decode<store::RemoveRequest>(requests[0]).key);

    fake.script.on("remove", reply("{}"));
    CPPUNIT_ASSERT(client.remove(kKey, &notFound).ok());
    CPPUNIT_ASSERT(!notFound);
  }

  void remoteRecords() {
    imagetest::FakeStore fake;
    fake.script.on("get_remote", failure(RKT_E_NOT_FOUND, "no record"));
    fake.script.on("put_remote", reply("{}"));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    auto none = client.getRemote("https://example.com/a.aci");
    CPPUNIT_ASSERT(none.ok());
    CPPUNIT_ASSERT(!none->has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/a.aci"),
                         sent<store::GetRemoteRequest>(fake.script, "get_remote").url);

    fake.script.on("get_remote",
                   reply(R"({"url":"https://example.com/a.aci","etag":"\"e1\"","key":")" + kKey +
                         R"(","cache_max_age":60,"download_time":7})"));
    auto record = client.getRemote("https://example.com/a.aci");
    CPPUNIT_ASSERT(record.ok() && record->has_value());
    CPPUNIT_ASSERT_EQUAL(kKey, (*record)->key);
    CPPUNIT_ASSERT_EQUAL(std::string("\"e1\""), (*record)->etag);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{60}, (*record)->cacheMaxAge);

    rkt::image::RemoteRecord put;
    put.url = "https://example.com/b.aci";
    put.key = kKey;
    put.etag = "\"e2\"";
    put.downloadTime = 9;
    CPPUNIT_ASSERT(client.putRemote(put).ok());
    auto request = sent<store::PutRemoteRequest>(fake.script, "put_remote");
    CPPUNIT_ASSERT_EQUAL(put.url, request.url);
    CPPUNIT_ASSERT_EQUAL(put.key, request.key);
    CPPUNIT_ASSERT_EQUAL(put.etag, request.etag);
    CPPUNIT_ASSERT(request.downloadTime == std::int64_t{9});
  }

  void verifyStatuses() {
    imagetest::FakeStore fake;
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    const std::pair<const char*, rkt::image::VerifyStatus> cases[] = {
        {"ok", rkt::image::VerifyStatus::kOk},
        {"not-rendered", rkt::image::VerifyStatus::kNotRendered},
        {"rebuilt", rkt::image::VerifyStatus::kRebuilt}};
    for (const auto& [status, expected] : cases) {
      fake.script.on("verify",
                     reply(std::string(R"({"tree_id":"deps-x","status":")") + status + R"("})"));
      auto verified = client.verify(kKey, true);
      CPPUNIT_ASSERT_MESSAGE(status, verified.ok());
      CPPUNIT_ASSERT_MESSAGE(status, expected == verified->status);
      CPPUNIT_ASSERT_EQUAL(std::string("deps-x"), verified->treeId);
    }
    auto request = rkt::protocol::decode<store::VerifyRequest>(fake.script.requests("verify")[0]);
    CPPUNIT_ASSERT_EQUAL(kKey, request.key);
    CPPUNIT_ASSERT(request.quick);
    fake.script.on("verify", reply(R"({"tree_id":"deps-x","status":"fine"})"));
    CPPUNIT_ASSERT(!client.verify(kKey).ok());
  }

  void readsAndLists() {
    imagetest::FakeStore fake;
    const std::string manifest = R"({"acKind":"ImageManifest","name":"example.com/app"})";
    fake.script.on("manifest", reply(manifest));
    fake.script.on("blob", reply(R"({"path":"/d/cas/blob/x"})"));
    fake.script.on("list_trees", reply("[]"));
    StoreClient client(plugintest::inProcessInstance(fake, "fake"));
    CPPUNIT_ASSERT_EQUAL(manifest, *client.manifest(kKey));
    CPPUNIT_ASSERT_EQUAL(kKey, sent<store::ManifestRequest>(fake.script, "manifest").key);
    CPPUNIT_ASSERT_EQUAL(std::string("/d/cas/blob/x"), *client.blob(kKey));
    auto trees = client.listTrees(true);
    CPPUNIT_ASSERT(trees.ok());
    CPPUNIT_ASSERT(trees->empty());
    CPPUNIT_ASSERT(sent<store::ListTreesRequest>(fake.script, "list_trees").incomplete);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreClientTest);
