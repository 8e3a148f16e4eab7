// Event handlers, mount points, ports and dependencies.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/types.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;

class AppPartsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppPartsTest);
  CPPUNIT_TEST(eventHandlers);
  CPPUNIT_TEST(mountPoints);
  CPPUNIT_TEST(ports);
  CPPUNIT_TEST(dependencies);
  CPPUNIT_TEST_SUITE_END();

 public:
  void eventHandlers() {
    SCHEMA_ASSERT_OK(validateEventHandlers({}));
    SCHEMA_ASSERT_OK(
        validateEventHandlers({{"pre-start", {"/bin/prep"}}, {"post-stop", {"clean", "-v"}}}));
    SCHEMA_ASSERT_ERROR(validateEventHandlers({{"start", {"/x"}}}),
                        "`eventHandlers[0].name`: must be `pre-start` or `post-stop`, got `start`");
    SCHEMA_ASSERT_ERROR(validateEventHandlers({{"pre-start", {"/a"}}, {"pre-start", {"/b"}}}),
                        "`eventHandlers[1].name`: only one `pre-start` handler is allowed");
    SCHEMA_ASSERT_ERROR(validateEventHandlers({{"post-stop", {}}}),
                        "`eventHandlers[0].exec`: must name a program");
    SCHEMA_ASSERT_ERROR(validateEventHandlers({{"post-stop", {""}}}), "`eventHandlers[0].exec`");
  }

  void mountPoints() {
    SCHEMA_ASSERT_OK(validateMountPoint({"work", "/var/lib/work", false}));
    SCHEMA_ASSERT_OK(validateMountPoint({"work", "relative/is/allowed", true}));
    SCHEMA_ASSERT_ERROR(validateMountPoint({"Work", "/x", false}),
                        "`mountPoint.name`: invalid AC name `Work`");
    SCHEMA_ASSERT_ERROR(validateMountPoint({"a_b", "/x", false}), "invalid AC name");
    SCHEMA_ASSERT_ERROR(validateMountPoint({"", "/x", false}), "`mountPoint.name`");
    SCHEMA_ASSERT_ERROR(validateMountPoint({"work", "", false}, "app.mountPoints[2]"),
                        "`app.mountPoints[2].path`: must not be empty");
  }

  void ports() {
    SCHEMA_ASSERT_OK(validatePort({"http", "tcp", 80, 1, false}));
    SCHEMA_ASSERT_OK(validatePort({"dns", "udp", 53, 1, true}));
    SCHEMA_ASSERT_OK(validatePort({"sctp-is-ok", "sctp", 65535, 1, false}));
    SCHEMA_ASSERT_OK(validatePort({"range", "tcp", 65530, 6, false}));
    SCHEMA_ASSERT_ERROR(validatePort({"http", "tcp", 0, 1, false}),
                        "`port.port`: must be between 1 and 65535, got 0");
    SCHEMA_ASSERT_ERROR(validatePort({"http", "tcp", 65536, 1, false}), "got 65536");
    SCHEMA_ASSERT_ERROR(validatePort({"http", "tcp", 80, 0, false}),
                        "`port.count`: must be at least 1");
    SCHEMA_ASSERT_ERROR(validatePort({"range", "tcp", 65530, 7, false}), "ends beyond port 65535");
    SCHEMA_ASSERT_ERROR(validatePort({"http", "", 80, 1, false}),
                        "`port.protocol`: must not be empty");
    SCHEMA_ASSERT_ERROR(validatePort({"HTTP", "tcp", 80, 1, false}), "`port.name`");
  }

  void dependencies() {
    const std::string id = "sha512-" + std::string(128, 'f');
    SCHEMA_ASSERT_OK(validateDependency({"example.com/base", "", {}, 0}));
    SCHEMA_ASSERT_OK(validateDependency({"example.com/base", id, {{"os", "linux"}}, 23141}));
    SCHEMA_ASSERT_ERROR(validateDependency({"", "", {}, 0}, "dependencies[0]"),
                        "`dependencies[0].imageName`: must be set");
    SCHEMA_ASSERT_ERROR(validateDependency({"Example.com/base", "", {}, 0}),
                        "`dependency.imageName`: invalid AC identifier");
    SCHEMA_ASSERT_ERROR(validateDependency({"example.com/base", "sha1-abc", {}, 0}),
                        "`dependency.imageID`: invalid image ID `sha1-abc`");
    SCHEMA_ASSERT_ERROR(validateDependency({"example.com/base", "", {{"os", "beos"}}, 0}),
                        "`dependency.labels`: bad os \"beos\"");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppPartsTest);
