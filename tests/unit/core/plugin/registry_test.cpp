// The loader against the real fixture plugins built in tests/abi (RKT_ABI_FIXTURE_DIR).
#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "rkt/core/plugin/registry.hpp"

namespace fs = std::filesystem;
using rkt::plugin::Factory;
using rkt::plugin::LoaderOptions;
using rkt::plugin::PluginRegistry;
using rkt::plugin::PluginReport;
using rkt::plugin::refusalName;

namespace {

const std::string kFixtures = RKT_ABI_FIXTURE_DIR;

LoaderOptions noOwnershipCheck() {
  LoaderOptions o;
  o.checkOwnership = false;
  return o;
}

// A scratch directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "rkt-loader-test.XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // Copies a fixture in under `as` (its own name by default).
  std::string add(const std::string& fixture, const std::string& as = "") const {
    fs::path to = path_ / (as.empty() ? fixture : as);
    fs::copy_file(fs::path(kFixtures) / fixture, to);
    return to.string();
  }

 private:
  fs::path path_;
};

std::map<std::string, PluginReport> byFileName(const std::vector<PluginReport>& reports) {
  std::map<std::string, PluginReport> out;
  for (const auto& r : reports) {
    out[fs::path(r.path).filename().string()] = r;
  }
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool isMapped(const std::string& path) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (contains(line, path)) {
      return true;
    }
  }
  return false;
}

std::string factoryList(const PluginReport& r) {
  std::string out;
  for (const auto& f : r.factories) {
    out += std::string(rkt::plugin::kindName(f.kind)) + "/" + f.name + " ";
  }
  return out;
}

}  // namespace

class PluginRegistryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PluginRegistryTest);
  CPPUNIT_TEST(scanRefusesEachFixtureWithItsReason);
  CPPUNIT_TEST(scanReportsWhatLoadedPluginsRegistered);
  CPPUNIT_TEST(refusalMessagesKeepTheCause);
  CPPUNIT_TEST(getOpensOnlyTheRequestedFile);
  CPPUNIT_TEST(getReportsRefusalReason);
  CPPUNIT_TEST(getReportsMissingPlugin);
  CPPUNIT_TEST(firstDirectoryWinsAndShadowsLaterOnes);
  CPPUNIT_TEST(refusedFirstMatchIsNotSkipped);
  CPPUNIT_TEST(duplicateFactoryNamesBothFiles);
  CPPUNIT_TEST(instancesCrossConfigRequestAndResult);
  CPPUNIT_TEST(pluginErrorsComeBackWithStatusAndErrno);
  CPPUNIT_TEST(membersPastOpsStructSizeAreUnsupported);
  CPPUNIT_TEST(sdkFillsOnlyOverriddenOps);
  CPPUNIT_TEST(installedNamesTheFilesOfOneKind);
  CPPUNIT_TEST(registrationClosesAfterInit);
  CPPUNIT_TEST(pluginStaysLoadedWhileInstancesExist);
  CPPUNIT_TEST(pluginLogLinesGoThroughHost);
  CPPUNIT_TEST(refusesWorldWritableOrForeignDirectories);
  CPPUNIT_TEST(refusesWorldWritableFile);
  CPPUNIT_TEST_SUITE_END();

 public:
  // Plugin log lines stay out of the test output unless a test looks at them.
  void setUp() override { rkt::plugin::setPluginLogStream(&discarded_); }

  void tearDown() override {
    rkt::plugin::setPluginLogStream(nullptr);
    rkt::plugin::setPluginDebugLogging(false);
  }

  void scanRefusesEachFixtureWithItsReason() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto reports = byFileName(registry.scanAll());
    const std::map<std::string, std::string> expected = {
        {"fetcher-good.so", "loaded"},
        {"fetcher-c-good.so", "loaded"},
        {"fetcher-dup-a.so", "loaded"},
        {"stage1-run-only.so", "loaded"},
        {"fetcher-abi-major.so", "abi-major-mismatch"},
        {"fetcher-abi-minor.so", "abi-minor-newer"},
        {"fetcher-oversized.so", "descriptor-too-large"},
        {"fetcher-too-small.so", "descriptor-too-small"},
        {"fetcher-no-entry.so", "no-entry-symbol"},
        {"fetcher-null-descriptor.so", "no-descriptor"},
        {"fetcher-empty-name.so", "empty-field"},
        {"fetcher-no-init.so", "no-init"},
        {"fetcher-name-mismatch.so", "name-mismatch"},
        {"fetcher-init-error.so", "init-failed"},
        {"fetcher-init-throws.so", "init-exception"},
        {"fetcher-dup-b.so", "duplicate-factory"},
        {"fetcher-no-factory.so", "no-factory"},
        {"fetcher-unresolved.so", "not-loadable"},
        {"gadget-thing.so", "bad-file-name"},
    };
    CPPUNIT_ASSERT_EQUAL(expected.size(), reports.size());
    for (const auto& [file, reason] : expected) {
      auto it = reports.find(file);
      CPPUNIT_ASSERT_MESSAGE(file + " was not reported", it != reports.end());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(file + ": " + it->second.message, reason,
                                   std::string(refusalName(it->second.refusal)));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(file, reason == "loaded", it->second.message.empty());
    }
  }

  void scanReportsWhatLoadedPluginsRegistered() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto reports = byFileName(registry.scanAll());
    const PluginReport& good = reports["fetcher-good.so"];
    CPPUNIT_ASSERT_EQUAL(std::string("fetcher/good store/good "), factoryList(good));
    CPPUNIT_ASSERT_EQUAL(std::string("good"), good.name);
    CPPUNIT_ASSERT_EQUAL(std::string("2.3.4"), good.version);
    CPPUNIT_ASSERT_EQUAL(std::string("Apache-2.0"), good.license);
    CPPUNIT_ASSERT(contains(good.sdkBuild, "rkt-sdk 1.0"));
    CPPUNIT_ASSERT_EQUAL(uint32_t(RKT_PLUGIN_ABI_MAJOR), good.abiMajor);
    CPPUNIT_ASSERT_EQUAL(std::string("fetcher"), good.fileKind);
    CPPUNIT_ASSERT_EQUAL(std::string("fetcher/c-good net/c-good "),
                         factoryList(reports["fetcher-c-good.so"]));
    CPPUNIT_ASSERT_EQUAL(std::string("fetcher/dup-a store/dup-a store/dup-shared "),
                         factoryList(reports["fetcher-dup-a.so"]));
    CPPUNIT_ASSERT(reports["fetcher-dup-b.so"].factories.empty());
    // Every registration of a loaded file is reachable; nothing of a refused one is.
    CPPUNIT_ASSERT(registry.find(RKT_KIND_STORE, "dup-shared").has_value());
    CPPUNIT_ASSERT_EQUAL(kFixtures + "/fetcher-dup-a.so",
                         registry.find(RKT_KIND_STORE, "dup-shared")->pluginPath());
    CPPUNIT_ASSERT(!registry.find(RKT_KIND_FETCHER, "dup-b").has_value());
    CPPUNIT_ASSERT(!registry.find(RKT_KIND_FETCHER, "init-throws").has_value());
  }

  void refusalMessagesKeepTheCause() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto r = byFileName(registry.scanAll());
    CPPUNIT_ASSERT_EQUAL(std::string("plugin ABI 2.0 has another major version than host ABI " +
                                     std::to_string(RKT_PLUGIN_ABI_MAJOR) + "." +
                                     std::to_string(RKT_PLUGIN_ABI_MINOR)),
                         r["fetcher-abi-major.so"].message);
    CPPUNIT_ASSERT(contains(r["fetcher-abi-minor.so"].message, "is newer than host ABI"));
    CPPUNIT_ASSERT_EQUAL(std::string("abi-minor"), r["fetcher-abi-minor.so"].name);
    CPPUNIT_ASSERT_EQUAL(std::string("required descriptor field `name` is empty"),
                         r["fetcher-empty-name.so"].message);
    CPPUNIT_ASSERT_EQUAL(
        std::string("init failed (invalid): cannot initialise `init-error`: refusing on purpose"),
        r["fetcher-init-error.so"].message);
    CPPUNIT_ASSERT_EQUAL(std::string("init threw an exception: fixture init exploded"),
                         r["fetcher-init-throws.so"].message);
    CPPUNIT_ASSERT(
        contains(r["fetcher-unresolved.so"].message, "rkt_fixture_symbol_nobody_defines"));
    CPPUNIT_ASSERT_EQUAL(std::string("no `rkt_plugin_descriptor_v1` symbol is exported"),
                         r["fetcher-no-entry.so"].message);
    CPPUNIT_ASSERT_EQUAL(std::string("init registered no fetcher factory `no-factory` although "
                                     "the file name promises it"),
                         r["fetcher-no-factory.so"].message);
    CPPUNIT_ASSERT(contains(r["gadget-thing.so"].message, "`gadget-thing.so`"));
  }

  void getOpensOnlyTheRequestedFile() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto good = registry.get(RKT_KIND_FETCHER, "good");
    CPPUNIT_ASSERT_MESSAGE(good ? "" : good.error().message, good.ok());
    CPPUNIT_ASSERT_EQUAL(kFixtures + "/fetcher-good.so", good->pluginPath());
    CPPUNIT_ASSERT_EQUAL(std::string("fetcher `good`"), good->displayName());
    // The other registration of the same file is there; no other file was opened.
    CPPUNIT_ASSERT(registry.find(RKT_KIND_STORE, "good").has_value());
    CPPUNIT_ASSERT(!registry.find(RKT_KIND_FETCHER, "c-good").has_value());
    CPPUNIT_ASSERT(!registry.find(RKT_KIND_FETCHER, "dup-a").has_value());
    // Asking again returns the same factory without reloading.
    auto again = registry.get(RKT_KIND_FETCHER, "good");
    CPPUNIT_ASSERT(again.ok());
    CPPUNIT_ASSERT(&again->ops<rkt_fetcher_ops>() == &good->ops<rkt_fetcher_ops>());
  }

  void getReportsRefusalReason() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto r = registry.get(RKT_KIND_FETCHER, "abi-major");
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_EQUAL("cannot load fetcher plugin `abi-major` from `" + kFixtures +
                             "/fetcher-abi-major.so`: abi-major-mismatch: plugin ABI 2.0 has "
                             "another major version than host ABI " +
                             std::to_string(RKT_PLUGIN_ABI_MAJOR) + "." +
                             std::to_string(RKT_PLUGIN_ABI_MINOR),
                         r.error().message);
  }

  void getReportsMissingPlugin() {
    TempDir empty;
    PluginRegistry registry({empty.str(), kFixtures}, noOwnershipCheck());
    auto r = registry.get(RKT_KIND_STAGE1, "nope");
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_EQUAL("cannot find stage1 plugin `nope`: no `stage1-nope.so` in " + empty.str() +
                             ", " + kFixtures + " (set RKT_PLUGIN_PATH to add directories)",
                         r.error().message);
    CPPUNIT_ASSERT(!registry.get(RKT_KIND_FETCHER, "../fetcher-good").ok());
    CPPUNIT_ASSERT(!registry.get(RKT_KIND_INVALID, "good").ok());
  }

  void firstDirectoryWinsAndShadowsLaterOnes() {
    TempDir first;
    first.add("fetcher-good.so");
    PluginRegistry registry({first.str(), kFixtures}, noOwnershipCheck());
    auto good = registry.get(RKT_KIND_FETCHER, "good");
    CPPUNIT_ASSERT(good.ok());
    CPPUNIT_ASSERT_EQUAL(first.str() + "/fetcher-good.so", good->pluginPath());
    auto reports = registry.scanAll();
    int shadowed = 0;
    for (const auto& r : reports) {
      if (r.path == kFixtures + "/fetcher-good.so") {
        ++shadowed;
        CPPUNIT_ASSERT_EQUAL(std::string("shadowed"), std::string(refusalName(r.refusal)));
        CPPUNIT_ASSERT(contains(r.message, first.str() + "/fetcher-good.so"));
      }
    }
    CPPUNIT_ASSERT_EQUAL(1, shadowed);
  }

  void refusedFirstMatchIsNotSkipped() {
    TempDir first;
    first.add("fetcher-abi-major.so", "fetcher-good.so");
    PluginRegistry registry({first.str(), kFixtures}, noOwnershipCheck());
    auto r = registry.get(RKT_KIND_FETCHER, "good");
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT(contains(r.error().message, first.str() + "/fetcher-good.so"));
    CPPUNIT_ASSERT(contains(r.error().message, "abi-major-mismatch"));
  }

  void duplicateFactoryNamesBothFiles() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    CPPUNIT_ASSERT(registry.get(RKT_KIND_FETCHER, "dup-a").ok());
    auto b = registry.get(RKT_KIND_FETCHER, "dup-b");
    CPPUNIT_ASSERT(!b.ok());
    CPPUNIT_ASSERT_EQUAL("cannot load fetcher plugin `dup-b` from `" + kFixtures +
                             "/fetcher-dup-b.so`: duplicate-factory: store factory `dup-shared` "
                             "is registered by both `" +
                             kFixtures + "/fetcher-dup-a.so` and `" + kFixtures +
                             "/fetcher-dup-b.so`",
                         b.error().message);
    // The refused file's other registrations were discarded with it.
    CPPUNIT_ASSERT(!registry.find(RKT_KIND_STORE, "dup-b").has_value());
  }

  void instancesCrossConfigRequestAndResult() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto factory = registry.get(RKT_KIND_FETCHER, "good");
    CPPUNIT_ASSERT(factory.ok());
    auto instance = factory->create("{\"dir\":\"/x\"}");
    CPPUNIT_ASSERT_MESSAGE(instance ? "" : instance.error().message, instance.ok());
    std::string request = "{\"image\":\"hello:world\"}";
    rkt_buffer result;
    auto status =
        instance->invoke("fetch", &rkt_fetcher_ops::fetch, request.data(), request.size(), &result);
    CPPUNIT_ASSERT(status.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("{\"config\":{\"dir\":\"/x\"},\"request\":" + request + "}"),
                         result.bytes);

    auto refused = factory->create("{\"refuse\":true}");
    CPPUNIT_ASSERT(!refused.ok());
    CPPUNIT_ASSERT_EQUAL(
        std::string("cannot create fetcher `good`: invalid configuration: `refuse` is set"),
        refused.error().message);
  }

  void pluginErrorsComeBackWithStatusAndErrno() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto instance = registry.get(RKT_KIND_FETCHER, "good")->create();
    CPPUNIT_ASSERT(instance.ok());
    std::string missing = "{\"image\":\"missing\"}";
    rkt_buffer out;
    rkt_error err;
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, instance->call(err, &rkt_fetcher_ops::fetch,
                                                         missing.data(), missing.size(), &out));
    CPPUNIT_ASSERT_EQUAL(ENOENT, err.sysErrno);
    auto status =
        instance->invoke("fetch", &rkt_fetcher_ops::fetch, missing.data(), missing.size(), &out);
    CPPUNIT_ASSERT(!status.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("cannot fetch `missing`: no such image"),
                         status.error().message);
    CPPUNIT_ASSERT_EQUAL(ENOENT, status.error().sysErrno);

    std::string explode = "{\"image\":\"explode\"}";
    rkt_error err2;
    CPPUNIT_ASSERT_EQUAL(RKT_E_EXCEPTION, instance->call(err2, &rkt_fetcher_ops::fetch,
                                                         explode.data(), explode.size(), &out));
    CPPUNIT_ASSERT_EQUAL(std::string("fetcher exploded"), err2.message);
    CPPUNIT_ASSERT(out.bytes.empty());
  }

  void membersPastOpsStructSizeAreUnsupported() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    CPPUNIT_ASSERT(registry.get(RKT_KIND_FETCHER, "c-good").ok());
    auto net = registry.get(RKT_KIND_NET, "c-good");
    CPPUNIT_ASSERT(net.ok());
    const rkt_net_ops& ops = net->ops<rkt_net_ops>();
    CPPUNIT_ASSERT(ops.add != nullptr);
    CPPUNIT_ASSERT(ops.del == nullptr);
    CPPUNIT_ASSERT(ops.check == nullptr);
    auto instance = net->create();
    CPPUNIT_ASSERT(instance.ok());
    std::string req = "{}";
    rkt_buffer out;
    const rkt_net_context* ctx = nullptr;
    auto check = instance->invoke("check", &rkt_net_ops::check, ctx, req.data(), req.size(), &out);
    CPPUNIT_ASSERT(!check.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("net `c-good` does not support `check`"),
                         check.error().message);
    rkt_error err;
    CPPUNIT_ASSERT_EQUAL(RKT_E_UNSUPPORTED,
                         instance->call(err, &rkt_net_ops::del, ctx, req.data(), req.size(), &out));
    CPPUNIT_ASSERT(
        instance->invoke("add", &rkt_net_ops::add, ctx, req.data(), req.size(), &out).ok());
    CPPUNIT_ASSERT_EQUAL(std::string("{\"cniVersion\":\"0.3.1\"}"), out.bytes);
  }

  // The SDK fixtures: InfoStore overrides info() only, RunOnly (stage1) run() only. What they
  // do not override is NULL, so StoreClient and the stage1 clients report it unsupported by name.
  void sdkFillsOnlyOverriddenOps() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto fetcher = registry.get(RKT_KIND_FETCHER, "good");
    CPPUNIT_ASSERT(fetcher.ok());
    CPPUNIT_ASSERT(fetcher->ops<rkt_fetcher_ops>().fetch != nullptr);
    auto store = registry.find(RKT_KIND_STORE, "good");
    CPPUNIT_ASSERT(store.has_value());
    const rkt_store_ops& storeOps = store->ops<rkt_store_ops>();
    CPPUNIT_ASSERT(storeOps.info != nullptr);
    for (rkt_store_json_op op :
         {storeOps.import_image, storeOps.resolve, storeOps.list, storeOps.manifest, storeOps.blob,
          storeOps.remove, storeOps.render, storeOps.verify, storeOps.list_trees,
          storeOps.remove_tree, storeOps.get_remote, storeOps.put_remote}) {
      CPPUNIT_ASSERT(op == nullptr);
    }
    auto stage1 = registry.get(RKT_KIND_STAGE1, "run-only");
    CPPUNIT_ASSERT_MESSAGE(stage1 ? "" : stage1.error().message, stage1.ok());
    const rkt_stage1_ops& stage1Ops = stage1->ops<rkt_stage1_ops>();
    CPPUNIT_ASSERT(stage1Ops.run != nullptr);
    CPPUNIT_ASSERT(stage1Ops.describe == nullptr);
    CPPUNIT_ASSERT(stage1Ops.enter == nullptr);
    CPPUNIT_ASSERT(stage1Ops.stop == nullptr);
    CPPUNIT_ASSERT(stage1Ops.gc == nullptr);
    auto instance = stage1->create();
    CPPUNIT_ASSERT(instance.ok());
    const std::string req = "{}";
    auto stopped = instance->invoke("stop", &rkt_stage1_ops::stop, req.data(), req.size());
    CPPUNIT_ASSERT(!stopped.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("stage1 `run-only` does not support `stop`"),
                         stopped.error().message);
  }

  void installedNamesTheFilesOfOneKind() {
    TempDir a;
    TempDir b;
    for (const char* f : {"fetcher-docker.so", "store-cas.so", "fetcher-.so", "stage1-fly.so"}) {
      std::ofstream((a.path() / f).string()) << "";
    }
    for (const char* f : {"fetcher-aci-archive.so", "fetcher-docker.so", "fetcher-x.so.1",
                          "gadget-x.so", "stage1-kvm.so"}) {
      std::ofstream((b.path() / f).string()) << "";
    }
    fs::create_directory(b.path() / "fetcher-dir.so");  // not a file: nothing to open
    PluginRegistry registry({a.str(), b.str(), a.str() + "/missing"}, noOwnershipCheck());
    CPPUNIT_ASSERT((registry.installed(RKT_KIND_FETCHER) ==
                    std::vector<std::string>{"aci-archive", "docker"}));
    CPPUNIT_ASSERT((registry.installed(RKT_KIND_STAGE1) == std::vector<std::string>{"fly", "kvm"}));
    CPPUNIT_ASSERT((registry.installed(RKT_KIND_STORE) == std::vector<std::string>{"cas"}));
    CPPUNIT_ASSERT(registry.installed(RKT_KIND_NET).empty());
    // Listing opens nothing (these empty files would be refused as not-loadable).
    CPPUNIT_ASSERT(!registry.find(RKT_KIND_FETCHER, "docker").has_value());
  }

  void registrationClosesAfterInit() {
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto instance = registry.get(RKT_KIND_FETCHER, "c-good")->create();
    CPPUNIT_ASSERT(instance.ok());
    // The fixture's fetch tries to register "late" with the registrar its init received.
    rkt_error err;
    rkt_buffer out;
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID,
                         instance->call(err, &rkt_fetcher_ops::fetch, "{}", size_t(2), &out));
    CPPUNIT_ASSERT_EQUAL(
        std::string("cannot register factory: registration is only allowed inside init"),
        err.message);
    CPPUNIT_ASSERT(!registry.find(RKT_KIND_FETCHER, "late").has_value());
  }

  void pluginStaysLoadedWhileInstancesExist() {
    TempDir dir;
    const std::string path = dir.add("fetcher-good.so");
    std::optional<rkt::plugin::Instance> instance;
    {
      PluginRegistry registry({dir.str()}, noOwnershipCheck());
      auto factory = registry.get(RKT_KIND_FETCHER, "good");
      CPPUNIT_ASSERT(factory.ok());
      auto created = factory->create();
      CPPUNIT_ASSERT(created.ok());
      instance.emplace(std::move(created.value()));
    }
    // Registry and factory handles are gone; the instance alone keeps the code mapped.
    CPPUNIT_ASSERT(isMapped(path));
    rkt_buffer out;
    CPPUNIT_ASSERT(instance->invoke("fetch", &rkt_fetcher_ops::fetch, "{}", size_t(2), &out).ok());
    instance.reset();
    CPPUNIT_ASSERT(!isMapped(path));
  }

  void pluginLogLinesGoThroughHost() {
    std::ostringstream log;
    rkt::plugin::setPluginLogStream(&log);
    PluginRegistry registry({kFixtures}, noOwnershipCheck());
    auto instance = registry.get(RKT_KIND_FETCHER, "good")->create();
    CPPUNIT_ASSERT(instance.ok());
    rkt_buffer out;
    CPPUNIT_ASSERT(instance->invoke("fetch", &rkt_fetcher_ops::fetch, "{}", size_t(2), &out).ok());
    CPPUNIT_ASSERT_EQUAL(std::string("good: fetching\n"), log.str());
    rkt::plugin::setPluginDebugLogging(true);
    CPPUNIT_ASSERT(instance->invoke("fetch", &rkt_fetcher_ops::fetch, "{}", size_t(2), &out).ok());
    CPPUNIT_ASSERT_EQUAL(std::string("good: fetching\ngood: echoing a request\ngood: fetching\n"),
                         log.str());
  }

  void refusesWorldWritableOrForeignDirectories() {
    if (::geteuid() != 0) {
      return;  // ownership can only be arranged (and is only checked) as root
    }
    LoaderOptions strict;
    strict.checkOwnership = true;
    TempDir open;
    open.add("fetcher-good.so");
    open.add("fetcher-c-good.so");
    fs::permissions(open.path(), fs::perms::all);
    TempDir foreign;
    foreign.add("fetcher-dup-a.so");
    CPPUNIT_ASSERT_EQUAL(0, ::chown(foreign.str().c_str(), 65534, 65534));
    PluginRegistry registry({open.str(), foreign.str()}, strict);
    auto reports = registry.scanAll();
    CPPUNIT_ASSERT_EQUAL(size_t(3), reports.size());
    for (const auto& r : reports) {
      CPPUNIT_ASSERT_EQUAL(std::string("bad-directory"), std::string(refusalName(r.refusal)));
    }
    auto r = byFileName(reports);
    CPPUNIT_ASSERT_EQUAL("plugin directory `" + open.str() + "` is world-writable",
                         r["fetcher-good.so"].message);
    CPPUNIT_ASSERT_EQUAL(
        "plugin directory `" + foreign.str() + "` is not owned by root (owner uid 65534)",
        r["fetcher-dup-a.so"].message);
    CPPUNIT_ASSERT(!registry.get(RKT_KIND_FETCHER, "good").ok());
    // The same files load from a directory that follows the rule.
    fs::permissions(open.path(), fs::perms::owner_all | fs::perms::group_read |
                                     fs::perms::group_exec | fs::perms::others_read |
                                     fs::perms::others_exec);
    PluginRegistry fixed({open.str()}, strict);
    CPPUNIT_ASSERT(fixed.get(RKT_KIND_FETCHER, "good").ok());
  }

  void refusesWorldWritableFile() {
    if (::geteuid() != 0) {
      return;
    }
    LoaderOptions strict;
    strict.checkOwnership = true;
    TempDir dir;
    std::string path = dir.add("fetcher-good.so");
    fs::permissions(path, fs::perms::others_write, fs::perm_options::add);
    PluginRegistry registry({dir.str()}, strict);
    auto r = registry.get(RKT_KIND_FETCHER, "good");
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT(contains(r.error().message, "bad-file: `" + path + "` is world-writable"));
  }

 private:
  std::ostringstream discarded_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginRegistryTest);
