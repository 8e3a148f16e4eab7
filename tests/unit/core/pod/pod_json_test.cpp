// The v1.Pod JSON of `rkt list --format=json` and `rkt status --format=json`.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Parser.h>

#include "pod_test_support.hpp"
#include "rkt/core/pod/pod_json.hpp"

using Poco::JSON::Object;
using rkt::pod::Pod;
using rkt::pod::State;

namespace {

const char kManifest[] = R"({
  "acVersion": "1.30.0", "acKind": "PodManifest",
  "apps": [
    {"name": "web", "image": {"name": "example.com/web", "id": "sha512-aaaa"},
     "app": {"exec": ["/bin/web"], "user": "0", "group": "0",
             "userLabels": {"tier": "front"}},
     "mounts": [{"volume": "data", "path": "/data"},
                {"volume": "inline", "path": "/x",
                 "appVolume": {"name": "inline", "kind": "host", "source": "/srv/x",
                               "readOnly": true}}]},
    {"name": "side", "image": {"name": "example.com/side", "id": "sha512-bbbb"}}
  ],
  "volumes": [{"name": "data", "kind": "host", "source": "/srv/data"}],
  "isolators": null, "annotations": [], "ports": [],
  "userAnnotations": {"b": "2", "a": "<1>"}
})";

const char kNetInfo[] = R"([{"netName": "default", "netConf": "/etc/rkt/net.d/99-default.conf",
  "pluginPath": "/usr/lib/rkt/plugins/net/ptp", "ifName": "eth0", "ip": "172.16.28.5",
  "args": "", "mask": "255.255.255.0"}])";

Object::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Object::Ptr>();
}

}  // namespace

class PodJsonTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodJsonTest);
  CPPUNIT_TEST(exitedPodWithAppsNetworksAndCodes);
  CPPUNIT_TEST(fieldOrderFollowsRkt);
  CPPUNIT_TEST(preparingPodHasNoCreationTime);
  CPPUNIT_TEST(arraysAndIndentation);
  CPPUNIT_TEST(networksColumn);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { tmp_ = std::make_unique<podtest::TempDataDir>(); }
  void tearDown() override { tmp_.reset(); }

  void exitedPodWithAppsNetworksAndCodes() {
    rkt::Result<Pod> pod = exitedPod();
    rkt::Result<std::string> json = rkt::pod::podToJson(*pod);
    CPPUNIT_ASSERT_MESSAGE(json ? "" : json.error().message, json.ok());
    Object::Ptr o = parse(*json);
    CPPUNIT_ASSERT_EQUAL(pod->uuid().str(), o->getValue<std::string>("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("exited"), o->getValue<std::string>("state"));
    CPPUNIT_ASSERT_EQUAL(Poco::Int64(1500000000), o->getValue<Poco::Int64>("created_at"));
    CPPUNIT_ASSERT_EQUAL(Poco::Int64(1500000100), o->getValue<Poco::Int64>("started_at"));
    CPPUNIT_ASSERT_EQUAL(std::string("172.16.28.5"),
                         o->getArray("networks")->getObject(0)->getValue<std::string>("ip"));
    CPPUNIT_ASSERT_EQUAL(size_t(2), o->getArray("app_names")->size());
    CPPUNIT_ASSERT_EQUAL(std::string("<1>"),
                         o->getObject("user_annotations")->getValue<std::string>("a"));

    Object::Ptr web = o->getArray("apps")->getObject(0);
    CPPUNIT_ASSERT_EQUAL(std::string("exited"), web->getValue<std::string>("state"));
    CPPUNIT_ASSERT_EQUAL(3, web->getValue<int>("exit_code"));
    CPPUNIT_ASSERT_EQUAL(Poco::Int64(1500000000) * 1000000000,
                         web->getValue<Poco::Int64>("created_at"));
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-aaaa"), web->getValue<std::string>("image_id"));
    CPPUNIT_ASSERT(!web->has("finished_at"));  // not marked for gc yet
    auto mounts = web->getArray("mounts");
    CPPUNIT_ASSERT_EQUAL(std::string("/srv/data"),
                         mounts->getObject(0)->getValue<std::string>("host_path"));
    CPPUNIT_ASSERT(!mounts->getObject(0)->getValue<bool>("read_only"));
    CPPUNIT_ASSERT_EQUAL(std::string("/srv/x"),
                         mounts->getObject(1)->getValue<std::string>("host_path"));
    CPPUNIT_ASSERT(mounts->getObject(1)->getValue<bool>("read_only"));
    CPPUNIT_ASSERT_EQUAL(std::string("front"),
                         web->getObject("user_labels")->getValue<std::string>("tier"));

    // An app without a status file in an exited pod: exited by the pod's state, no code.
    Object::Ptr side = o->getArray("apps")->getObject(1);
    CPPUNIT_ASSERT_EQUAL(std::string("exited"), side->getValue<std::string>("state"));
    CPPUNIT_ASSERT(!side->has("exit_code"));
    CPPUNIT_ASSERT(!side->has("mounts"));

    // Marked for gc: finished_at is the mark time.
    CPPUNIT_ASSERT(pod->toExitedGarbage().ok());
    o = parse(*rkt::pod::podToJson(*pod));
    CPPUNIT_ASSERT(o->getArray("apps")->getObject(0)->has("finished_at"));
  }

  void fieldOrderFollowsRkt() {
    rkt::Result<Pod> pod = exitedPod();
    std::string json = *rkt::pod::podToJson(*pod);
    const char* order[] = {"\"name\"", "\"state\"",      "\"networks\"",   "\"app_names\"",
                           "\"apps\"", "\"created_at\"", "\"started_at\"", "\"user_annotations\""};
    size_t last = 0;
    for (const char* key : order) {
      size_t at = json.find(key, last);
      CPPUNIT_ASSERT_MESSAGE(std::string(key) + " in " + json, at != std::string::npos);
      last = at;
    }
    // Keys of maps sorted, as Go marshals maps.
    CPPUNIT_ASSERT(json.find("\"a\":") < json.find("\"b\":"));
  }

  void preparingPodHasNoCreationTime() {
    rkt::pod::PodDirs dirs = tmp_->dirs();
    rkt::Result<Pod> pod = Pod::create(dirs);
    CPPUNIT_ASSERT_EQUAL(State::Preparing, pod->state());
    rkt::Result<std::string> json = rkt::pod::podToJson(*pod);
    CPPUNIT_ASSERT(!json.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("invalid creation time"), json.error().message);
  }

  void arraysAndIndentation() {
    CPPUNIT_ASSERT_EQUAL(std::string("null"), rkt::pod::podJsonArray({}, false));
    CPPUNIT_ASSERT_EQUAL(std::string("null"), rkt::pod::podJsonArray({}, true));
    CPPUNIT_ASSERT_EQUAL(std::string(R"([{"a":1},{"b":2}])"),
                         rkt::pod::podJsonArray({R"({"a":1})", R"({"b":2})"}, false));
    CPPUNIT_ASSERT_EQUAL(std::string("[\n\t{\n\t\t\"a\": 1\n\t}\n]"),
                         rkt::pod::podJsonArray({R"({"a":1})"}, true));
    CPPUNIT_ASSERT_EQUAL(std::string("{\n\t\"a\": 1\n}"),
                         rkt::pod::podJsonObject(R"({"a":1})", true));
  }

  void networksColumn() {
    rkt::pod::NetInfo a;
    a.netName = "default";
    a.ip = "172.16.28.7";
    rkt::pod::NetInfo b;
    b.netName = "lan";
    b.ip = "10.0.0.2";
    CPPUNIT_ASSERT_EQUAL(std::string(""), rkt::pod::formatNetworks({}));
    CPPUNIT_ASSERT_EQUAL(std::string("default:ip4=172.16.28.7, lan:ip4=10.0.0.2"),
                         rkt::pod::formatNetworks({a, b}));
    rkt::pod::NetInfo v6only;  // no IPv4 address: Go's nil net.IP
    v6only.netName = "v6";
    CPPUNIT_ASSERT_EQUAL(std::string("v6:ip4=<nil>, lan:ip4=10.0.0.2"),
                         rkt::pod::formatNetworks({v6only, b}));
  }

 private:
  rkt::Result<Pod> exitedPod() {
    rkt::pod::PodDirs dirs = tmp_->dirs();
    rkt::pod::Uuid uuid;
    {
      rkt::Result<Pod> pod = Pod::create(dirs);
      const std::string p = pod->path();
      podtest::writeFile(p + "/pod", kManifest, 0640);
      podtest::writeFile(p + "/pod-created", "");
      podtest::setMtime(p + "/pod-created", 1500000000);
      podtest::writeFile(p + "/net-info.json", kNetInfo);
      podtest::makeDirs(p + "/stage1/rootfs/rkt/status");
      podtest::writeFile(p + "/stage1/rootfs/rkt/status/web", "3");
      podtest::writeFile(p + "/pid", "4242\n");
      podtest::setMtime(p + "/pid", 1500000100);
      CPPUNIT_ASSERT(pod->toRun().ok());
      uuid = pod->uuid();
    }  // the lock goes with the Pod: the pod has exited
    rkt::Result<Pod> exited = Pod::open(dirs, uuid);
    CPPUNIT_ASSERT_EQUAL(State::Exited, exited->state());
    return exited;
  }

  std::unique_ptr<podtest::TempDataDir> tmp_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodJsonTest);
