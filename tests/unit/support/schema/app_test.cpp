// The `app` object: every field, read from JSON, valid and invalid.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/app.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;
using rkt::schema::test::appJson;
using rkt::schema::test::imageJson;

class AppTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppTest);
  CPPUNIT_TEST(exec);
  CPPUNIT_TEST(userAndGroup);
  CPPUNIT_TEST(supplementaryGids);
  CPPUNIT_TEST(eventHandlers);
  CPPUNIT_TEST(workingDirectory);
  CPPUNIT_TEST(environment);
  CPPUNIT_TEST(isolators);
  CPPUNIT_TEST(mountPoints);
  CPPUNIT_TEST(ports);
  CPPUNIT_TEST(userAnnotationsAndLabels);
  CPPUNIT_TEST(validateBuiltApp);
  CPPUNIT_TEST_SUITE_END();

  static App app(const std::string& fields) {
    auto m = parseImageManifest(appJson(fields));
    SCHEMA_ASSERT_OK(m);
    CPPUNIT_ASSERT(m->app.has_value());
    return *m->app;
  }
  static std::string bad(const std::string& fields) {
    auto m = parseImageManifest(appJson(fields));
    CPPUNIT_ASSERT_MESSAGE("accepted: " + fields, !m);
    const std::string msg = m.error().message;
    CPPUNIT_ASSERT_MESSAGE(msg, msg.rfind("invalid image manifest: ", 0) == 0);
    CPPUNIT_ASSERT_MESSAGE(msg, msg.find('\n') == std::string::npos);
    return msg;
  }
  static void assertBad(const std::string& fields, const std::string& needle) {
    const std::string msg = bad(fields);
    CPPUNIT_ASSERT_MESSAGE("`" + msg + "` lacks `" + needle + "`",
                           msg.find(needle) != std::string::npos);
  }

 public:
  void exec() {
    CPPUNIT_ASSERT(
        (app(R"("exec":["/bin/sh","-c","echo hi"])").exec == Exec{"/bin/sh", "-c", "echo hi"}));
    CPPUNIT_ASSERT((app(R"("exec":["sh",""])").exec == Exec{"sh", ""}));  // PATH lookup, empty args
    CPPUNIT_ASSERT(app("").exec.empty());
    CPPUNIT_ASSERT(app(R"("exec":[])").exec.empty());
    CPPUNIT_ASSERT(app(R"("exec":null)").exec.empty());
    assertBad(R"("exec":[""])", "`app.exec[0]`: must name a program");
    assertBad(R"("exec":"/bin/sh")", "`app.exec`: expected an array, got a string");
    assertBad(R"("exec":["/bin/sh",1])", "`app.exec[1]`: expected a string, got a number");
  }

  void userAndGroup() {
    App a = app("");
    CPPUNIT_ASSERT_EQUAL(std::string("0"), a.user);
    CPPUNIT_ASSERT_EQUAL(std::string("0"), a.group);
    a = app(R"("user":"/etc/owner","group":"wheel")");
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/owner"), a.user);
    CPPUNIT_ASSERT_EQUAL(std::string("wheel"), a.group);
    auto m = parseImageManifest(imageJson(R"("app":{"group":"0"})"));
    SCHEMA_ASSERT_ERROR(m, "invalid image manifest: `app.user`: must be set");
    m = parseImageManifest(imageJson(R"("app":{"user":"0"})"));
    SCHEMA_ASSERT_ERROR(m, "`app.group`: must be set");
    m = parseImageManifest(imageJson(R"("app":{"user":"","group":"0"})"));
    SCHEMA_ASSERT_ERROR(m, "`app.user`: must be set");
    m = parseImageManifest(imageJson(R"("app":{"user":0,"group":"0"})"));
    SCHEMA_ASSERT_ERROR(m, "`app.user`: expected a string, got a number");
  }

  void supplementaryGids() {
    CPPUNIT_ASSERT((app(R"("supplementaryGIDs":[400,500])").supplementaryGids ==
                    std::vector<std::uint32_t>{400, 500}));
    // The spec's own example spells it supplementaryGids; keys match case-insensitively.
    CPPUNIT_ASSERT(
        (app(R"("supplementaryGids":[7])").supplementaryGids == std::vector<std::uint32_t>{7}));
    CPPUNIT_ASSERT((app(R"("supplementaryGIDs":[4294967295])").supplementaryGids ==
                    std::vector<std::uint32_t>{4294967295u}));
    assertBad(R"("supplementaryGIDs":[-1])", "`app.supplementaryGIDs[0]`: must not be negative");
    assertBad(R"("supplementaryGIDs":[1,"2"])", "`app.supplementaryGIDs[1]`: expected an integer");
    assertBad(R"("supplementaryGIDs":[4294967296])", "must be at most 4294967295");
    assertBad(R"("supplementaryGIDs":[1.5])", "expected an integer, got a number");
  }

  void eventHandlers() {
    App a = app(
        R"("eventHandlers":[{"name":"pre-start","exec":["/prep"]},{"exec":["/clean"],"name":"post-stop"}])");
    CPPUNIT_ASSERT_EQUAL(size_t(2), a.eventHandlers.size());
    CPPUNIT_ASSERT_EQUAL(std::string("post-stop"), a.eventHandlers[1].name);
    CPPUNIT_ASSERT((a.eventHandlers[1].exec == Exec{"/clean"}));
    assertBad(R"("eventHandlers":[{"name":"on-start","exec":["/x"]}])",
              "`app.eventHandlers[0].name`: must be `pre-start` or `post-stop`, got `on-start`");
    assertBad(
        R"("eventHandlers":[{"name":"post-stop","exec":["/x"]},{"name":"post-stop","exec":["/y"]}])",
        "`app.eventHandlers[1].name`: only one `post-stop` handler");
    assertBad(R"("eventHandlers":[{"name":"pre-start"}])",
              "`app.eventHandlers[0].exec`: must name a program");
    assertBad(R"("eventHandlers":{"name":"pre-start"})", "`app.eventHandlers`: expected an array");
  }

  void workingDirectory() {
    CPPUNIT_ASSERT_EQUAL(std::string("/opt/work"),
                         app(R"("workingDirectory":"/opt/work")").workingDirectory);
    CPPUNIT_ASSERT(app("").workingDirectory.empty());
    assertBad(R"("workingDirectory":"opt/work")",
              "`app.workingDirectory`: must be an absolute path, got `opt/work`");
    assertBad(R"("workingDirectory":["/"])",
              "`app.workingDirectory`: expected a string, got an array");
  }

  void environment() {
    App a = app(R"("environment":[{"name":"PATH","value":"/bin"},{"name":"a.b-c","value":""}])");
    CPPUNIT_ASSERT_EQUAL(std::string("/bin"), findValue(a.environment, "PATH").value());
    CPPUNIT_ASSERT_EQUAL(size_t(2), a.environment.size());
    assertBad(R"("environment":[{"name":"1X","value":"v"}])",
              "`app.environment[0].name`: invalid environment variable name `1X`");
    assertBad(R"("environment":[{"name":"X","value":"1"},{"name":"X","value":"2"}])",
              "`app.environment[1].name`: duplicate environment variable `X`");
    assertBad(R"("environment":[{"name":"X","value":1}])",
              "`app.environment[0].value`: expected a string");
    assertBad(R"("environment":{"X":"1"})", "`app.environment`: expected an array, got an object");
  }

  void isolators() {
    App a = app(
        R"("isolators":[{"name":"resource/memory","value":{"limit":"1G"}},{"name":"os/linux/no-new-privileges","value":true}])");
    CPPUNIT_ASSERT_EQUAL(size_t(2), a.isolators.size());
    CPPUNIT_ASSERT(a.isolators[1].as<NoNewPrivileges>()->enabled);
    assertBad(R"("isolators":[{"name":"example.com/custom","value":{}}])",
              "`app.isolators[0].name`: unknown isolator `example.com/custom`");
    assertBad(R"("isolators":[{"name":"resource/memory","value":{"limit":"1X"}}])",
              "`app.isolators[0].value.limit`: invalid quantity `1X`");
    assertBad(R"("isolators":[{"name":"resource/memory"}])",
              "`app.isolators[0].value`: must be set");
    assertBad(
        R"("isolators":[{"name":"os/linux/oom-score-adj","value":1},{"name":"os/linux/oom-score-adj","value":2}])",
        "`app.isolators[1]`: only one `os/linux/oom-score-adj` isolator is allowed");
    assertBad(R"("isolators":[{"name":"Resource/CPU","value":{}}])",
              "`app.isolators[0].name`: invalid AC identifier");
  }

  void mountPoints() {
    App a = app(
        R"("mountPoints":[{"name":"work","path":"/var/lib/work","readOnly":true},{"name":"logs","path":"/var/log"}])");
    CPPUNIT_ASSERT((a.mountPoints[0] == MountPoint{"work", "/var/lib/work", true}));
    CPPUNIT_ASSERT(!a.mountPoints[1].readOnly);
    assertBad(R"("mountPoints":[{"name":"my_work","path":"/w"}])",
              "`app.mountPoints[0].name`: invalid AC name `my_work`");
    assertBad(R"("mountPoints":[{"name":"work"}])", "`app.mountPoints[0].path`: must not be empty");
    assertBad(R"("mountPoints":[{"name":"work","path":"/w","readOnly":"yes"}])",
              "`app.mountPoints[0].readOnly`: expected a boolean");
  }

  void ports() {
    App a = app(
        R"("ports":[{"name":"www","protocol":"tcp","port":80},{"name":"r","protocol":"udp","port":1000,"count":10,"socketActivated":true},{"name":"z","protocol":"tcp","port":9,"count":0}])");
    CPPUNIT_ASSERT((a.ports[0] == Port{"www", "tcp", 80, 1, false}));
    CPPUNIT_ASSERT((a.ports[1] == Port{"r", "udp", 1000, 10, true}));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), a.ports[2].count);  // 0 reads as 1
    assertBad(R"("ports":[{"name":"www","protocol":"tcp","port":0}])",
              "`app.ports[0].port`: must be between 1 and 65535, got 0");
    assertBad(R"("ports":[{"name":"www","protocol":"tcp"}])",
              "`app.ports[0].port`: must be between 1 and 65535");
    assertBad(R"("ports":[{"name":"www","protocol":"tcp","port":70000}])", "got 70000");
    assertBad(R"("ports":[{"name":"www","protocol":"tcp","port":"80"}])",
              "`app.ports[0].port`: expected an integer, got a string");
    assertBad(R"("ports":[{"name":"www","port":80}])",
              "`app.ports[0].protocol`: must not be empty");
    assertBad(R"("ports":[{"name":"www","protocol":"tcp","port":65535,"count":2}])",
              "`app.ports[0].count`");
    assertBad(R"("ports":[{"name":"80/tcp","protocol":"tcp","port":80}])", "`app.ports[0].name`");
    assertBad(R"("ports":[{"name":"www","protocol":"tcp","port":80,"socketActivated":1}])",
              "`app.ports[0].socketActivated`: expected a boolean");
  }

  void userAnnotationsAndLabels() {
    App a = app(R"("userAnnotations":{"Any Key":"v","b":""},"userLabels":{"tier":"web"})");
    CPPUNIT_ASSERT_EQUAL(std::string("v"), a.userAnnotations.at("Any Key"));
    CPPUNIT_ASSERT_EQUAL(std::string("web"), a.userLabels.at("tier"));
    assertBad(R"("userAnnotations":{"a":1})",
              "`app.userAnnotations.a`: expected a string, got a number");
    assertBad(R"("userLabels":[])", "`app.userLabels`: expected an object, got an array");
  }

  void validateBuiltApp() {
    App a;
    a.user = "0";
    a.group = "0";
    SCHEMA_ASSERT_OK(validateApp(a));
    a.exec = {"/bin/true"};
    a.ports.push_back(Port{"http", "tcp", 80, 1, false});
    SCHEMA_ASSERT_OK(validateApp(a));
    a.ports.push_back(Port{"bad", "tcp", 80, 0, false});
    SCHEMA_ASSERT_ERROR(validateApp(a, "apps[2].app"),
                        "`apps[2].app.ports[1].count`: must be at least 1");
    a.ports.pop_back();
    a.group.clear();
    SCHEMA_ASSERT_ERROR(validateApp(a), "`app.group`: must be set");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppTest);
