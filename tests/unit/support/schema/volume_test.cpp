// Pod volumes, mounts, exposed ports and rkt's --volume syntax.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/types.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;

class VolumeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(VolumeTest);
  CPPUNIT_TEST(hostVolumes);
  CPPUNIT_TEST(emptyVolumes);
  CPPUNIT_TEST(kindAndName);
  CPPUNIT_TEST(fromString);
  CPPUNIT_TEST(fromStringErrors);
  CPPUNIT_TEST(toStringIsInverse);
  CPPUNIT_TEST(mounts);
  CPPUNIT_TEST(exposedPorts);
  CPPUNIT_TEST_SUITE_END();

  static Volume host(const std::string& source) {
    Volume v;
    v.name = "data";
    v.kind = "host";
    v.source = source;
    return v;
  }
  static Volume empty() {
    Volume v;
    v.name = "data";
    v.kind = "empty";
    return v;
  }

 public:
  void hostVolumes() {
    SCHEMA_ASSERT_OK(validateVolume(host("/srv/data")));
    Volume v = host("/srv/data");
    v.readOnly = true;
    v.recursive = false;
    SCHEMA_ASSERT_OK(validateVolume(v));
    SCHEMA_ASSERT_ERROR(validateVolume(host("")), "`volume.source`: must be set for a host volume");
    SCHEMA_ASSERT_ERROR(validateVolume(host("srv/data")),
                        "`volume.source`: must be an absolute path");
    v = host("/srv");
    v.mode = "0755";
    SCHEMA_ASSERT_ERROR(validateVolume(v), "`volume.mode`: is not allowed for a host volume");
    v = host("/srv");
    v.uid = 0;
    SCHEMA_ASSERT_ERROR(validateVolume(v), "`volume.uid`");
    v = host("/srv");
    v.gid = 0;
    SCHEMA_ASSERT_ERROR(validateVolume(v), "`volume.gid`");
    setVolumeDefaults(v);  // does nothing to host volumes
    CPPUNIT_ASSERT(!v.mode && !v.uid);
  }

  void emptyVolumes() {
    Volume v = empty();
    SCHEMA_ASSERT_OK(validateVolume(v));
    setVolumeDefaults(v);
    CPPUNIT_ASSERT_EQUAL(std::string("0755"), v.mode.value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(0), v.uid.value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(0), v.gid.value());
    SCHEMA_ASSERT_OK(validateVolume(v));
    v.mode = "1777";
    SCHEMA_ASSERT_OK(validateVolume(v));
    v.mode = "0999";
    SCHEMA_ASSERT_ERROR(validateVolume(v),
                        "`volume.mode`: must be an octal mode like 0755, got `0999`");
    v.mode = "17777";
    SCHEMA_ASSERT_ERROR(validateVolume(v), "octal mode");
    v.mode = "";
    SCHEMA_ASSERT_ERROR(validateVolume(v), "octal mode");
    v = empty();
    v.source = "/srv";
    SCHEMA_ASSERT_ERROR(validateVolume(v), "`volume.source`: is not allowed for an empty volume");
    v = empty();
    v.uid = -1;
    SCHEMA_ASSERT_ERROR(validateVolume(v), "`volume.uid`: must be between 0 and 4294967295");
    v = empty();
    v.gid = 4294967296;
    SCHEMA_ASSERT_ERROR(validateVolume(v), "`volume.gid`");
  }

  void kindAndName() {
    Volume v = empty();
    v.kind = "";
    SCHEMA_ASSERT_ERROR(validateVolume(v), "`volume.kind`: must be set");
    v.kind = "tmpfs";
    SCHEMA_ASSERT_ERROR(validateVolume(v, "volumes[3]"),
                        "`volumes[3].kind`: must be `host` or `empty`, got `tmpfs`");
    v = empty();
    v.name = "my_data";
    SCHEMA_ASSERT_ERROR(validateVolume(v), "`volume.name`: invalid AC name `my_data`");
  }

  void fromString() {
    auto v = volumeFromString("data,kind=host,source=/srv/data,readOnly=false");
    SCHEMA_ASSERT_OK(v);
    CPPUNIT_ASSERT_EQUAL(std::string("data"), v->name);
    CPPUNIT_ASSERT_EQUAL(std::string("host"), v->kind);
    CPPUNIT_ASSERT_EQUAL(std::string("/srv/data"), v->source);
    CPPUNIT_ASSERT(v->readOnly.has_value() && !*v->readOnly);
    CPPUNIT_ASSERT(!v->recursive);
    v = volumeFromString("data,kind=host,source=/x,recursive=t,readOnly=TRUE");
    SCHEMA_ASSERT_OK(v);
    CPPUNIT_ASSERT(*v->recursive && *v->readOnly);
    v = volumeFromString("data,kind=empty");
    SCHEMA_ASSERT_OK(v);
    CPPUNIT_ASSERT_EQUAL(std::string("0755"), v->mode.value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(0), v->uid.value());
    v = volumeFromString("data,kind=empty,mode=0700,uid=5,gid=6");
    SCHEMA_ASSERT_OK(v);
    CPPUNIT_ASSERT_EQUAL(std::string("0700"), v->mode.value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(5), v->uid.value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(6), v->gid.value());
  }

  void fromStringErrors() {
    SCHEMA_ASSERT_ERROR(volumeFromString("data,kind=host"),
                        "invalid volume `data,kind=host`: `source`: must be set for a host volume");
    SCHEMA_ASSERT_ERROR(volumeFromString("data,kind=host,source=/x,foo=bar"),
                        "unknown volume parameter `foo`");
    SCHEMA_ASSERT_ERROR(volumeFromString("data,kind=host,source=/x,readOnly=maybe"),
                        "`readOnly` must be true or false, got `maybe`");
    SCHEMA_ASSERT_ERROR(volumeFromString("data,kind=empty,uid=x"), "`uid` must be a number");
    SCHEMA_ASSERT_ERROR(volumeFromString("data,kind=empty,gid=-1"), "`gid` must be a number");
    SCHEMA_ASSERT_ERROR(volumeFromString("data,kind=host,source=/x,source=/y"),
                        "given more than once");
    SCHEMA_ASSERT_ERROR(volumeFromString("Data,kind=host,source=/x"),
                        "`name`: invalid AC name `Data`");
    SCHEMA_ASSERT_ERROR(volumeFromString("data,kind"), "parameter `kind` has no value");
    SCHEMA_ASSERT_ERROR(volumeFromString("data"), "`kind`: must be set");
    SCHEMA_ASSERT_ERROR(volumeFromString("data,kind=empty,source=/x"),
                        "not allowed for an empty volume");
  }

  void toStringIsInverse() {
    for (const char* s :
         {"data,kind=host,source=/srv/data",
          "data,kind=host,source=/a,readOnly=true,recursive=false", "data,kind=empty",
          "data,kind=empty,readOnly=false,mode=0700,uid=1,gid=2"}) {
      auto v = volumeFromString(s);
      SCHEMA_ASSERT_OK(v);
      CPPUNIT_ASSERT_EQUAL(std::string(s), volumeToString(*v));
      CPPUNIT_ASSERT(volumeFromString(volumeToString(*v)).value() == *v);
    }
  }

  void mounts() {
    SCHEMA_ASSERT_OK(validateMount({"work", "/mnt/foo", std::nullopt}));
    SCHEMA_ASSERT_OK(validateMount({"work", "/mnt/foo", host("/srv")}));
    SCHEMA_ASSERT_ERROR(validateMount({"", "/mnt", std::nullopt}),
                        "`mount.volume`: invalid AC name");
    SCHEMA_ASSERT_ERROR(validateMount({"Work", "/mnt", std::nullopt}), "`mount.volume`");
    SCHEMA_ASSERT_ERROR(validateMount({"work", "", std::nullopt}),
                        "`mount.path`: must not be empty");
    SCHEMA_ASSERT_ERROR(validateMount({"work", "/mnt", host("rel")}, "apps[0].mounts[1]"),
                        "`apps[0].mounts[1].appVolume.source`: must be an absolute path");
  }

  void exposedPorts() {
    SCHEMA_ASSERT_OK(validateExposedPort({"http", 8080, "", std::nullopt}));
    SCHEMA_ASSERT_OK(validateExposedPort({"http", 8080, "127.0.0.1", std::nullopt}));
    SCHEMA_ASSERT_OK(validateExposedPort({"http", 8080, "::1", Port{"http", "tcp", 80, 1, false}}));
    SCHEMA_ASSERT_ERROR(validateExposedPort({"http", 0, "", std::nullopt}),
                        "`port.hostPort`: must be between 1 and 65535, got 0");
    SCHEMA_ASSERT_ERROR(validateExposedPort({"http", 70000, "", std::nullopt}), "got 70000");
    SCHEMA_ASSERT_ERROR(validateExposedPort({"http", 80, "1.2.3", std::nullopt}),
                        "`port.hostIP`: not an IP address: `1.2.3`");
    SCHEMA_ASSERT_ERROR(validateExposedPort({"http", 80, "localhost", std::nullopt}),
                        "not an IP address");
    SCHEMA_ASSERT_ERROR(validateExposedPort({"Http", 80, "", std::nullopt}), "`port.name`");
    SCHEMA_ASSERT_ERROR(
        validateExposedPort({"http", 80, "", Port{"http", "tcp", 0, 1, false}}, "ports[0]"),
        "`ports[0].podPort.port`");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(VolumeTest);
