// store-cas.so loaded through the core's plugin registry and driven with JSON requests, as the
// rkt commands use it: import, resolve, list, manifest, blob, render, verify, remove, remote
// records, and hostile or invalid images that must be refused with the store unchanged.
// Images come from tests/fixtures (Debian's busybox-static).
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "aci_test_util.hpp"
#include "rkt/abi/store.h"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"

namespace rkt::cas::test {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

const std::string kFixtures = RKT_FIXTURES_DIR;
const std::string kPluginDir = RKT_PLUGIN_BUILD_DIR;

// Runs a shell command; returns its stdout without the trailing newline. Throws on failure.
std::string run(const std::string& cmd) {
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) {
    throw std::runtime_error("cannot run " + cmd);
  }
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    out.append(buf, n);
  }
  if (::pclose(p) != 0) {
    throw std::runtime_error("failed: " + cmd);
  }
  while (!out.empty() && out.back() == '\n') {
    out.pop_back();
  }
  return out;
}

// The fixture images, built once for the whole suite.
struct Fixtures {
  ScratchDir dir;
  std::string busybox;    // example.com/busybox 1.0.0, gzip
  std::string busyboxId;  // full image ID the script printed
  std::string busyboxXz;  // same content, xz
  std::string chainDir;   // make-dependency-chain.sh output
  std::string chainTopId;

  Fixtures() {
    busybox = dir.path() + "/busybox.aci";
    busyboxId = run("sh " + kFixtures + "/make-busybox-aci.sh " + busybox);
    busyboxXz = dir.path() + "/busybox-xz.aci";
    run("ACI_COMPRESSION=xz sh " + kFixtures + "/make-busybox-aci.sh " + busyboxXz);
    chainDir = dir.path() + "/chain";
    chainTopId = run("sh " + kFixtures + "/make-dependency-chain.sh " + chainDir);
  }
};

Fixtures& fixtures() {
  static Fixtures f;
  return f;
}

Object::Ptr parseObject(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
}

Array::Ptr parseArray(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Array::Ptr>();
}

// The outcome of one store call.
struct Reply {
  rkt_status status = RKT_OK;
  std::string result;
  std::string message;
};

}  // namespace
}  // namespace rkt::cas::test

using namespace rkt::cas;
using namespace rkt::cas::test;

class CasPluginTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CasPluginTest);
  CPPUNIT_TEST(loadsAsStoreFactory);
  CPPUNIT_TEST(imageLifecycle);
  CPPUNIT_TEST(compressionDoesNotChangeTheKey);
  CPPUNIT_TEST(dependencyChainRendersAsExpected);
  CPPUNIT_TEST(invalidImagesAreRefusedWithStoreUnchanged);
  CPPUNIT_TEST(malformedRequestsAreRefused);
  CPPUNIT_TEST(remoteRecords);
  CPPUNIT_TEST(openSweepsKilledImportsLeavesTreesToGc);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    rkt::plugin::setPluginLogStream(&log_);
    dir_ = std::make_unique<ScratchDir>();
    rkt::plugin::LoaderOptions options;
    options.checkOwnership = false;
    registry_ = std::make_unique<rkt::plugin::PluginRegistry>(std::vector<std::string>{kPluginDir},
                                                              options);
    open();
  }

  void tearDown() override {
    instance_.reset();
    registry_.reset();
    dir_.reset();
    rkt::plugin::setPluginLogStream(nullptr);
  }

  void loadsAsStoreFactory() {
    auto factory = registry_->get(RKT_KIND_STORE, "cas");
    CPPUNIT_ASSERT(factory.ok());
    CPPUNIT_ASSERT_EQUAL(kPluginDir + "/store-cas.so", factory->pluginPath());
    const auto& ops = factory->ops<rkt_store_ops>();
    CPPUNIT_ASSERT(ops.import_image != nullptr && ops.render != nullptr &&
                   ops.put_remote != nullptr);
    rkt_buffer out;
    rkt_error err;
    CPPUNIT_ASSERT_EQUAL(RKT_OK, instance_->call(err, &rkt_store_ops::info, &out));
    Object::Ptr info = parseObject(out.bytes);
    CPPUNIT_ASSERT_EQUAL(dir_->cas(), info->getValue<std::string>("root"));
    CPPUNIT_ASSERT_EQUAL(dir_->cas() + "/tmp", info->getValue<std::string>("tmp_dir"));

    auto bad = factory->create("{}");
    CPPUNIT_ASSERT(!bad.ok());
    CPPUNIT_ASSERT_MESSAGE(
        bad.error().message,
        bad.error().message.find("invalid store configuration: field \"data_dir\": missing") !=
            std::string::npos);
  }

  void imageLifecycle() {
    const Fixtures& f = fixtures();
    std::string key = f.busyboxId.substr(0, 71);
    Reply r =
        call(&rkt_store_ops::import_image, R"({"path":")" + f.busybox + R"(","latest":false})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.message, RKT_OK, r.status);
    Object::Ptr imported = parseObject(r.result);
    CPPUNIT_ASSERT_EQUAL(key, imported->getValue<std::string>("key"));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/busybox"),
                         imported->getObject("manifest")->getValue<std::string>("name"));
    // Idempotent.
    CPPUNIT_ASSERT_EQUAL(
        key, parseObject(ok(&rkt_store_ops::import_image, R"({"path":")" + f.busybox + "\"}"))
                 ->getValue<std::string>("key"));

    // resolve by ID prefix, by full image ID, by name and labels.
    CPPUNIT_ASSERT_EQUAL(key, resolvedKey(R"({"id":")" + key.substr(0, 20) + "\"}"));
    CPPUNIT_ASSERT_EQUAL(key, resolvedKey(R"({"id":")" + f.busyboxId + "\"}"));
    CPPUNIT_ASSERT_EQUAL(key, resolvedKey(R"({"name":"example.com/busybox"})"));
    CPPUNIT_ASSERT_EQUAL(
        key, resolvedKey(
                 R"({"name":"example.com/busybox","labels":{"version":"1.0.0","arch":"amd64"}})"));
    Reply missing =
        call(&rkt_store_ops::resolve, R"({"name":"example.com/busybox","labels":{"version":"9"}})");
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, missing.status);
    CPPUNIT_ASSERT(missing.message.find("example.com/busybox") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID,
                         call(&rkt_store_ops::resolve, R"({"id":"sha512-"})").status);

    // list
    Array::Ptr images = parseArray(ok(&rkt_store_ops::list, "{}"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, images->size());
    Object::Ptr row = images->getObject(0);
    CPPUNIT_ASSERT_EQUAL(key, row->getValue<std::string>("key"));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/busybox"), row->getValue<std::string>("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"),
                         row->getObject("labels")->getValue<std::string>("version"));
    CPPUNIT_ASSERT_EQUAL(std::string("linux"),
                         row->getObject("labels")->getValue<std::string>("os"));
    CPPUNIT_ASSERT_EQUAL(false, row->getValue<bool>("latest"));
    CPPUNIT_ASSERT(row->getValue<Poco::Int64>("size") > 1000000);
    CPPUNIT_ASSERT_EQUAL(Poco::Int64{0}, row->getValue<Poco::Int64>("tree_size"));
    CPPUNIT_ASSERT(row->getValue<Poco::Int64>("import_time") > 0);
    Poco::Int64 lastUsed = row->getValue<Poco::Int64>("last_used");

    // manifest and blob
    Object::Ptr manifest = parseObject(ok(&rkt_store_ops::manifest, R"({"key":")" + key + "\"}"));
    CPPUNIT_ASSERT_EQUAL(std::string("ImageManifest"), manifest->getValue<std::string>("acKind"));
    std::string blobPath = parseObject(ok(&rkt_store_ops::blob, R"({"key":")" + key + "\"}"))
                               ->getValue<std::string>("path");
    CPPUNIT_ASSERT_EQUAL(key, keyOf(slurp(blobPath)));
    Poco::Int64 usedAfterBlob = parseArray(ok(&rkt_store_ops::list, "{}"))
                                    ->getObject(0)
                                    ->getValue<Poco::Int64>("last_used");
    CPPUNIT_ASSERT(usedAfterBlob > lastUsed);

    // render, verify, list_trees
    Object::Ptr tree = parseObject(ok(&rkt_store_ops::render, R"({"key":")" + key + "\"}"));
    std::string treeId = tree->getValue<std::string>("tree_id");
    std::string treePath = tree->getValue<std::string>("path");
    CPPUNIT_ASSERT_EQUAL(dir_->cas() + "/tree/" + treeId, treePath);
    CPPUNIT_ASSERT(exists(treePath + "/rootfs/bin/busybox"));
    CPPUNIT_ASSERT_EQUAL(std::string("busybox"), readLink(treePath + "/rootfs/bin/sh"));
    CPPUNIT_ASSERT_EQUAL(std::string("ok"), verifyStatus(key));
    writeFile(treePath + "/rootfs/etc/passwd", "intruder::0:0::/:/bin/sh\n");
    CPPUNIT_ASSERT_EQUAL(std::string("rebuilt"), verifyStatus(key));
    CPPUNIT_ASSERT(slurp(treePath + "/rootfs/etc/passwd").find("intruder") == std::string::npos);
    Array::Ptr trees = parseArray(ok(&rkt_store_ops::list_trees, "{}"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, trees->size());
    CPPUNIT_ASSERT_EQUAL(treeId, trees->getObject(0)->getValue<std::string>("tree_id"));
    CPPUNIT_ASSERT_EQUAL(key, trees->getObject(0)->getValue<std::string>("key"));
    CPPUNIT_ASSERT(parseArray(ok(&rkt_store_ops::list, "{}"))
                       ->getObject(0)
                       ->getValue<Poco::Int64>("tree_size") > 1000000);

    // remove_tree, remove
    ok(&rkt_store_ops::remove_tree, R"({"tree_id":")" + treeId + "\"}");
    CPPUNIT_ASSERT(!exists(treePath));
    CPPUNIT_ASSERT_EQUAL(std::string("not-rendered"), verifyStatus(key));
    CPPUNIT_ASSERT_EQUAL(size_t{0}, parseArray(ok(&rkt_store_ops::list_trees, "{}"))->size());
    ok(&rkt_store_ops::remove, R"({"key":")" + key + "\"}");
    CPPUNIT_ASSERT_EQUAL(size_t{0}, parseArray(ok(&rkt_store_ops::list, "{}"))->size());
    CPPUNIT_ASSERT(!exists(blobPath));
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND,
                         call(&rkt_store_ops::resolve, R"({"id":")" + key + "\"}").status);
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND,
                         call(&rkt_store_ops::remove, R"({"key":")" + key + "\"}").status);
  }

  void compressionDoesNotChangeTheKey() {
    const Fixtures& f = fixtures();
    std::string gz = importedKey(f.busybox);
    CPPUNIT_ASSERT_EQUAL(gz, importedKey(f.busyboxXz));
    std::string plain = dir_->path() + "/plain.aci";
    run("gzip -dc " + f.busybox + " > " + plain);
    CPPUNIT_ASSERT_EQUAL(gz, importedKey(plain));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, parseArray(ok(&rkt_store_ops::list, "{}"))->size());
  }

  void dependencyChainRendersAsExpected() {
    const Fixtures& f = fixtures();
    std::string top;
    for (const char* name : {"chain-d", "chain-b", "chain-c", "chain-top"}) {
      top = importedKey(f.chainDir + "/" + name + ".aci");
    }
    CPPUNIT_ASSERT_EQUAL(f.chainTopId.substr(0, 71), top);
    std::string rootfs =
        parseObject(ok(&rkt_store_ops::render, R"({"key":")" + top + R"(","rebuild":false})"))
            ->getValue<std::string>("path") +
        "/rootfs";
    std::ifstream expected(f.chainDir + "/expected.txt");
    std::string line;
    int checked = 0;
    while (std::getline(expected, line)) {
      std::istringstream words(line);
      std::string kind, path, value;
      words >> kind >> path;
      std::getline(words >> std::ws, value);
      if (kind == "file") {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path, value + "\n", firstLineOf(rootfs + path));
      } else if (kind == "absent") {
        CPPUNIT_ASSERT_MESSAGE(path, !exists(rootfs + path));
      } else if (kind == "symlink") {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path, value, readLink(rootfs + path));
      } else {
        continue;
      }
      ++checked;
    }
    CPPUNIT_ASSERT(checked >= 10);
    CPPUNIT_ASSERT_EQUAL(std::string("ok"), verifyStatus(top));
    // Without its dependencies the top image cannot be rendered; the error names the missing
    // one.
    std::string bKey = importedKey(f.chainDir + "/chain-b.aci");
    ok(&rkt_store_ops::remove, R"({"key":")" + bKey + "\"}");
    Reply r = call(&rkt_store_ops::render, R"({"key":")" + top + R"(","rebuild":true})");
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, r.status);
    CPPUNIT_ASSERT_MESSAGE(r.message, r.message.find("`example.com/chain-b`") != std::string::npos);
  }

  void invalidImagesAreRefusedWithStoreUnchanged() {
    const Fixtures& f = fixtures();
    std::string good = importedKey(f.busybox);
    std::string before = ok(&rkt_store_ops::list, "{}");
    auto blobs = [&] { return statTreeNames(dir_->cas() + "/blob"); };
    auto blobsBefore = blobs();

    struct Case {
      std::string file;
      rkt_status status;
      std::string text;
    };
    std::vector<Case> cases;
    auto craft = [&](const std::string& name, const std::string& bytes) {
      std::string path = dir_->path() + "/" + name;
      writeFile(path, bytes);
      return path;
    };
    // Invalid manifests (from the fixture builder, so everything else is a good image).
    std::string badName = dir_->path() + "/bad-name.aci";
    run("ACI_MANIFEST_PATCH='{\"name\":\"Example.com/Bad\"}' sh " + kFixtures +
        "/make-busybox-aci.sh " + badName);
    cases.push_back({badName, RKT_E_INVALID, "invalid image manifest"});
    std::string badKind = dir_->path() + "/bad-kind.aci";
    run("ACI_MANIFEST_PATCH='{\"acKind\":\"PodManifest\"}' sh " + kFixtures +
        "/make-busybox-aci.sh " + badKind);
    cases.push_back({badKind, RKT_E_INVALID, "invalid image manifest"});
    std::string man = aciManifest("example.com/x");
    cases.push_back(
        {craft("not-json.aci", TarBuilder().file("manifest", "{nope").dir("rootfs").finish()),
         RKT_E_INVALID, "invalid image manifest"});
    // Layouts appc refuses.
    cases.push_back({craft("no-rootfs.aci", TarBuilder().file("manifest", man).finish()),
                     RKT_E_INVALID, "no `rootfs` directory"});
    cases.push_back({craft("rootfs-not-dir.aci",
                           TarBuilder().file("manifest", man).file("rootfs/bin/x", "x").finish()),
                     RKT_E_INVALID, "no `rootfs` directory"});
    cases.push_back(
        {craft("extra.aci",
               TarBuilder().file("manifest", man).dir("rootfs").file("etc/passwd", "x").finish()),
         RKT_E_INVALID, "entry `etc/passwd`: unrecognized path"});
    cases.push_back({craft("dup.aci", TarBuilder()
                                          .file("manifest", man)
                                          .dir("rootfs")
                                          .file("rootfs/a", "1")
                                          .file("./rootfs/a", "2")
                                          .finish()),
                     RKT_E_INVALID, "entry `./rootfs/a`: the image lists `rootfs/a` twice"});
    cases.push_back({craft("no-manifest.aci", TarBuilder().dir("rootfs").finish()), RKT_E_INVALID,
                     "no `manifest`"});
    // Damaged files.
    std::string gz = slurp(f.busybox);
    cases.push_back({craft("truncated.aci", gz.substr(0, gz.size() / 2)), RKT_E_INVALID, ""});
    cases.push_back({craft("text.aci", "this is not an image\n"), RKT_E_INVALID, ""});
    cases.push_back({dir_->path() + "/does-not-exist.aci", RKT_E_NOT_FOUND, ""});

    for (const auto& c : cases) {
      Reply r = call(&rkt_store_ops::import_image, R"({"path":")" + c.file + "\"}");
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.file + ": " + r.message, c.status, r.status);
      CPPUNIT_ASSERT_MESSAGE(r.message, r.message.find("`" + c.file + "`") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(r.message, r.message.find(c.text) != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(r.message, r.message.find('\n') == std::string::npos);
      CPPUNIT_ASSERT_EQUAL(before, ok(&rkt_store_ops::list, "{}"));
      CPPUNIT_ASSERT(blobsBefore == blobs());
      CPPUNIT_ASSERT(entries(dir_->cas() + "/tmp").empty());
    }
    CPPUNIT_ASSERT_EQUAL(good, resolvedKey(R"({"name":"example.com/busybox"})"));
  }

  void malformedRequestsAreRefused() {
    for (const char* req : {"{nope", "[]", R"({"path":7})", R"({"path":""})", "{}",
                            R"({"path":"/x","latest":"yes"})"}) {
      Reply r = call(&rkt_store_ops::import_image, req);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(req, RKT_E_INVALID, r.status);
      CPPUNIT_ASSERT_MESSAGE(r.message, r.message.find("invalid import_image request: ") == 0);
    }
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, call(&rkt_store_ops::manifest, R"({"key":"nope"})").status);
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID,
                         call(&rkt_store_ops::resolve, R"({"name":"x","labels":[1]})").status);
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID,
                         call(&rkt_store_ops::render, R"({"key":"sha512-12"})").status);
    CPPUNIT_ASSERT_EQUAL(
        RKT_E_NOT_FOUND,
        call(&rkt_store_ops::render, R"({"key":"sha512-)" + std::string(64, 'a') + "\"}").status);
  }

  void remoteRecords() {
    std::string key = importedKey(fixtures().busybox);
    const std::string url = "https://example.com/busybox.aci";
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND,
                         call(&rkt_store_ops::get_remote, R"({"url":")" + url + "\"}").status);
    ok(&rkt_store_ops::put_remote,
       R"({"url":")" + url +
           R"(","sig_url":"https://example.com/busybox.aci.asc","etag":"\"e1\"","key":")" + key +
           R"(","cache_max_age":60,"download_time":1700000000000000000})");
    Object::Ptr remote = parseObject(ok(&rkt_store_ops::get_remote, R"({"url":")" + url + "\"}"));
    CPPUNIT_ASSERT_EQUAL(url, remote->getValue<std::string>("url"));
    CPPUNIT_ASSERT_EQUAL(std::string("\"e1\""), remote->getValue<std::string>("etag"));
    CPPUNIT_ASSERT_EQUAL(key, remote->getValue<std::string>("key"));
    CPPUNIT_ASSERT_EQUAL(Poco::Int64{60}, remote->getValue<Poco::Int64>("cache_max_age"));
    CPPUNIT_ASSERT_EQUAL(Poco::Int64{1700000000000000000},
                         remote->getValue<Poco::Int64>("download_time"));
    // A record must point at an image in the store.
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND,
                         call(&rkt_store_ops::put_remote,
                              R"({"url":"u","key":"sha512-)" + std::string(64, 'b') + "\"}")
                             .status);
    // Removing the image removes its records.
    ok(&rkt_store_ops::remove, R"({"key":")" + key + "\"}");
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND,
                         call(&rkt_store_ops::get_remote, R"({"url":")" + url + "\"}").status);
  }

  void openSweepsKilledImportsLeavesTreesToGc() {
    std::string key = importedKey(fixtures().busybox);
    Object::Ptr tree = parseObject(ok(&rkt_store_ops::render, R"({"key":")" + key + "\"}"));
    std::string treePath = tree->getValue<std::string>("path");
    instance_.reset();
    // A killed import: an unlocked temp file. A killed render: a tree without `rendered`.
    writeFile(dir_->cas() + "/tmp/cas-tmp-import-abcdef", "partial tar");
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((treePath + "/rendered").c_str()));
    // rkt's resumable downloads in tmp/ are kept.
    writeFile(dir_->cas() + "/tmp/sha512-0123", "partial download");
    open();
    CPPUNIT_ASSERT(!exists(dir_->cas() + "/tmp/cas-tmp-import-abcdef"));
    CPPUNIT_ASSERT(exists(dir_->cas() + "/tmp/sha512-0123"));
    CPPUNIT_ASSERT_EQUAL(std::string("not-rendered"), verifyStatus(key));
    // The tree is `rkt image gc`'s to sweep (docs/store.md, "Leftover trees"): an open leaves
    // it, list_trees shows it only when asked, remove_tree removes it.
    CPPUNIT_ASSERT(exists(treePath));
    CPPUNIT_ASSERT_EQUAL(size_t{0}, parseArray(ok(&rkt_store_ops::list_trees, "{}"))->size());
    Array::Ptr all = parseArray(ok(&rkt_store_ops::list_trees, R"({"incomplete":true})"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, all->size());
    Object::Ptr leftover = all->getObject(0);
    CPPUNIT_ASSERT_EQUAL(treePath, leftover->getValue<std::string>("path"));
    CPPUNIT_ASSERT(!leftover->getValue<bool>("complete"));
    ok(&rkt_store_ops::remove_tree,
       R"({"tree_id":")" + leftover->getValue<std::string>("tree_id") + "\"}");
    CPPUNIT_ASSERT(!exists(treePath));
  }

 private:
  void open() {
    auto factory = registry_->get(RKT_KIND_STORE, "cas");
    CPPUNIT_ASSERT_MESSAGE(factory ? "" : factory.error().message, factory.ok());
    auto inst = factory->create(R"({"data_dir":")" + dir_->path() + "/data\"}");
    CPPUNIT_ASSERT_MESSAGE(inst ? "" : inst.error().message, inst.ok());
    instance_ = std::make_unique<rkt::plugin::Instance>(std::move(*inst));
  }

  Reply call(rkt_store_json_op rkt_store_ops::*op, const std::string& request) {
    rkt_buffer out;
    rkt_error err;
    Reply r;
    r.status = instance_->call(err, op, request.data(), request.size(), &out);
    r.result = out.bytes;
    r.message = err.message;
    return r;
  }

  std::string ok(rkt_store_json_op rkt_store_ops::*op, const std::string& request) {
    Reply r = call(op, request);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(request + ": " + r.message, RKT_OK, r.status);
    return r.result;
  }

  std::string importedKey(const std::string& path) {
    return parseObject(ok(&rkt_store_ops::import_image, R"({"path":")" + path + "\"}"))
        ->getValue<std::string>("key");
  }

  std::string resolvedKey(const std::string& request) {
    return parseObject(ok(&rkt_store_ops::resolve, request))->getValue<std::string>("key");
  }

  std::string verifyStatus(const std::string& key) {
    return parseObject(ok(&rkt_store_ops::verify, R"({"key":")" + key + "\"}"))
        ->getValue<std::string>("status");
  }

  static std::string readLink(const std::string& path) {
    char buf[4096];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
    return n < 0 ? std::string("<not a symlink>") : std::string(buf, static_cast<size_t>(n));
  }

  static std::string firstLineOf(const std::string& path) {
    std::string content = exists(path) ? slurp(path) : "<absent>";
    return content.substr(0, content.find('\n') + 1);
  }

  static std::set<std::string> statTreeNames(const std::string& dir) {
    return rkt::archive::testing::listTree(dir);
  }

  std::ostringstream log_;
  std::unique_ptr<ScratchDir> dir_;
  std::unique_ptr<rkt::plugin::PluginRegistry> registry_;
  std::unique_ptr<rkt::plugin::Instance> instance_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CasPluginTest);
