// The stage1 client: which plugin a pod's later commands load (stage1ForPod), the op requests as
// sent, and how a missing flavor is named.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Parser.h>

#include "core/pod/pod_test_support.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/core/stage1/stage1_client.hpp"

using rkt::pod::Pod;

class Stage1ClientTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(Stage1ClientTest);
  CPPUNIT_TEST(defaultFlavorWithoutFile);
  CPPUNIT_TEST(flavorFromFile);
  CPPUNIT_TEST(rejectsBadFlavorNames);
  CPPUNIT_TEST(requestsCarryEveryField);
  CPPUNIT_TEST(configSaysWhetherRunFollows);
  CPPUNIT_TEST(missingPluginNamesFlavor);
  CPPUNIT_TEST(sdkFlavorWithRunOnlySupportsNothingElse);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { tmp_ = std::make_unique<podtest::TempDataDir>(); }
  void tearDown() override { tmp_.reset(); }

  void defaultFlavorWithoutFile() {
    rkt::Result<Pod> pod = exitedPod();
    rkt::Result<std::string> flavor = rkt::stage1::stage1ForPod(*pod);
    CPPUNIT_ASSERT(flavor.ok());
    CPPUNIT_ASSERT_EQUAL(std::string(rkt::stage1::defaultFlavor()), *flavor);
  }

  void flavorFromFile() {
    rkt::Result<Pod> pod = exitedPod();
    // What prepare writes: a symlink to the name, as rkt's stage1 writes $POD/flavor.
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("qemu-kvm", (pod->path() + "/flavor").c_str()));
    CPPUNIT_ASSERT_EQUAL(std::string("qemu-kvm"), *rkt::stage1::stage1ForPod(*pod));
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((pod->path() + "/flavor").c_str()));
    podtest::writeFile(pod->path() + "/flavor", "  nspawn\n");
    CPPUNIT_ASSERT_EQUAL(std::string("nspawn"), *rkt::stage1::stage1ForPod(*pod));
  }

  void rejectsBadFlavorNames() {
    rkt::Result<Pod> pod = exitedPod();
    for (const char* bad : {"", "../../evil", "Fly", "-x", "a b", "fly/x"}) {
      podtest::writeFile(pod->path() + "/flavor", bad);
      rkt::Result<std::string> flavor = rkt::stage1::stage1ForPod(*pod);
      CPPUNIT_ASSERT_MESSAGE(bad, !flavor.ok());
      CPPUNIT_ASSERT_EQUAL(EINVAL, flavor.error().sysErrno);
      CPPUNIT_ASSERT(flavor.error().message.find("invalid stage1 flavor") == 0);
    }
    ::unlink((pod->path() + "/flavor").c_str());
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("../x", (pod->path() + "/flavor").c_str()));
    CPPUNIT_ASSERT(!rkt::stage1::stage1ForPod(*pod).ok());
  }

  // The instance configuration: run_follows for the instances `rkt run` opens, the stage1
  // image's manifest for the image flavor, both in one object.
  void configSaysWhetherRunFollows() {
    Poco::JSON::Parser parser;
    auto parse = [&](const std::string& json) {
      return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    };
    CPPUNIT_ASSERT(!parse(rkt::stage1::stage1Config(false))->optValue("run_follows", false));
    CPPUNIT_ASSERT(parse(rkt::stage1::stage1Config(true))->getValue<bool>("run_follows"));
    auto both = parse(rkt::stage1::stage1Config(true, R"({"name":"example.com/s1"})"));
    CPPUNIT_ASSERT(both->getValue<bool>("run_follows"));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/s1"),
                         both->getObject("image_manifest")->getValue<std::string>("name"));
    auto manifestOnly = parse(rkt::stage1::stage1Config(false, R"({"name":"x"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("x"),
                         manifestOnly->getObject("image_manifest")->getValue<std::string>("name"));
  }

  void requestsCarryEveryField() {
    Poco::JSON::Parser parser;
    auto enter =
        parser
            .parse(rkt::protocol::encode(rkt::stage1::EnterRequest{
                "/var/lib/rkt/pods/run/x", "x", 42, "web", {"/bin/sh", "-c", "a b"}, true}))
            .extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rkt/pods/run/x"),
                         enter->getValue<std::string>("pod_dir"));
    CPPUNIT_ASSERT_EQUAL(42, enter->getValue<int>("pid"));
    CPPUNIT_ASSERT_EQUAL(std::string("web"), enter->getValue<std::string>("app"));
    CPPUNIT_ASSERT_EQUAL(size_t(3), enter->getArray("command")->size());
    CPPUNIT_ASSERT_EQUAL(std::string("a b"),
                         enter->getArray("command")->getElement<std::string>(2));
    CPPUNIT_ASSERT(enter->getValue<bool>("interactive"));

    auto stop = parser.parse(rkt::protocol::encode(rkt::stage1::StopRequest{"/p", "u", true}))
                    .extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT(stop->getValue<bool>("force"));
    CPPUNIT_ASSERT_EQUAL(std::string("u"), stop->getValue<std::string>("uuid"));

    auto gc =
        parser.parse(rkt::protocol::encode(rkt::stage1::GcRequest{"/p", "u", false, "/etc/rkt"}))
            .extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT(!gc->getValue<bool>("debug"));
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/rkt"), gc->getValue<std::string>("local_config"));
  }

  void missingPluginNamesFlavor() {
    rkt::plugin::LoaderOptions options{};
    options.checkOwnership = false;
    rkt::plugin::PluginRegistry registry({tmp_->path()}, options);
    rkt::Result<rkt::stage1::Stage1Client> s1 = rkt::stage1::Stage1Client::open(registry, "nosuch");
    CPPUNIT_ASSERT(!s1.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("cannot load stage1 `nosuch`: stage1 flavor `nosuch` is not "
                                     "installed (no stage1 plugin is installed)"),
                         s1.error().message);
    // An existing pod names its flavor the same way.
    rkt::Result<Pod> pod = exitedPod();
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("nosuch", (pod->path() + "/flavor").c_str()));
    s1 = rkt::stage1::Stage1Client::forPod(registry, *pod);
    CPPUNIT_ASSERT(!s1.ok());
    CPPUNIT_ASSERT(s1.error().message.find("cannot load stage1 `nosuch`: ") == 0);
  }

  // tests/abi/fixtures/sdk_stage1_fixture.cpp: an SDK flavor overriding `run` only. Its other
  // ops are NULL, so the host says which one is missing and never calls into the plugin.
  void sdkFlavorWithRunOnlySupportsNothingElse() {
    rkt::plugin::LoaderOptions options{};
    options.checkOwnership = false;
    rkt::plugin::PluginRegistry registry({RKT_ABI_FIXTURE_DIR}, options);
    rkt::Result<rkt::stage1::Stage1Client> s1 =
        rkt::stage1::Stage1Client::open(registry, "run-only");
    CPPUNIT_ASSERT_MESSAGE(s1 ? "" : s1.error().message, s1.ok());
    CPPUNIT_ASSERT(s1->has("run"));
    for (const char* op : {"describe", "enter", "stop", "gc"})
      CPPUNIT_ASSERT_MESSAGE(op, !s1->has(op));
    rkt::Status stopped = s1->stop({"/p", "u", false});
    CPPUNIT_ASSERT(!stopped.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("`stop` is not supported by this stage1 (stage1 `run-only`)"),
                         stopped.error().message);
    rkt::Result<int> entered = s1->enter({"/p", "u", 1, "app", {"/bin/true"}, false});
    CPPUNIT_ASSERT(!entered.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("`enter` is not supported by this stage1 (stage1 `run-only`)"),
                         entered.error().message);
  }

 private:
  rkt::Result<Pod> exitedPod() {
    rkt::pod::PodDirs dirs = tmp_->dirs();
    return Pod::open(dirs, podtest::makeExitedPod(dirs));
  }

  std::unique_ptr<podtest::TempDataDir> tmp_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(Stage1ClientTest);
