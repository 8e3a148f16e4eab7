// Labels, annotations, environment, dates, URLs, image IDs and the name/value helpers.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/types.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;

class TypesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(TypesTest);
  CPPUNIT_TEST(nameValueHelpers);
  CPPUNIT_TEST(labelMatchingAndMerging);
  CPPUNIT_TEST(validLabels);
  CPPUNIT_TEST(invalidLabels);
  CPPUNIT_TEST(annotations);
  CPPUNIT_TEST(rfc3339Dates);
  CPPUNIT_TEST(httpUrls);
  CPPUNIT_TEST(environment);
  CPPUNIT_TEST(imageIds);
  CPPUNIT_TEST_SUITE_END();

 public:
  void nameValueHelpers() {
    Labels l = {{"version", "1"}, {"os", "linux"}};
    CPPUNIT_ASSERT_EQUAL(std::string("linux"), findValue(l, "os").value());
    CPPUNIT_ASSERT(!findValue(l, "arch"));
    setValue(l, "version", "2");
    CPPUNIT_ASSERT_EQUAL(size_t(2), l.size());
    CPPUNIT_ASSERT_EQUAL(std::string("2"), l[0].value);
    setValue(l, "arch", "amd64");
    CPPUNIT_ASSERT_EQUAL(std::string("arch"), l.back().name);
    CPPUNIT_ASSERT(removeValue(l, "os"));
    CPPUNIT_ASSERT(!removeValue(l, "os"));
    CPPUNIT_ASSERT_EQUAL(size_t(2), l.size());
  }

  void labelMatchingAndMerging() {
    Labels have = {{"version", "1.0"}, {"os", "linux"}, {"arch", "amd64"}};
    CPPUNIT_ASSERT(labelsMatch(have, {}));
    CPPUNIT_ASSERT(labelsMatch(have, {{"os", "linux"}}));
    CPPUNIT_ASSERT(labelsMatch(have, {{"os", "linux"}, {"version", "1.0"}}));
    CPPUNIT_ASSERT(!labelsMatch(have, {{"os", "freebsd"}}));
    CPPUNIT_ASSERT(!labelsMatch(have, {{"channel", "beta"}}));
    Annotations image = {{"a", "1"}, {"b", "2"}};
    Annotations pod = {{"c", "3"}, {"a", "9"}};
    Annotations merged = mergeAnnotations(image, pod);
    CPPUNIT_ASSERT((merged == Annotations{{"a", "9"}, {"b", "2"}, {"c", "3"}}));
  }

  void validLabels() {
    SCHEMA_ASSERT_OK(validateLabels({}));
    SCHEMA_ASSERT_OK(validateLabels({{"version", "1.0.0"}, {"os", "linux"}, {"arch", "amd64"}}));
    SCHEMA_ASSERT_OK(validateLabels({{"example.com/channel", ""}}));
    SCHEMA_ASSERT_OK(validateLabels({{"arch", "anything"}}));  // arch alone means nothing
    SCHEMA_ASSERT_OK(validateLabels({{"os", "freebsd"}, {"arch", "arm"}}));
    SCHEMA_ASSERT_OK(validateLabels({{"os", "darwin"}, {"arch", "x86_64"}}));
    SCHEMA_ASSERT_OK(validateLabels({{"os", "linux"}}));
  }

  void invalidLabels() {
    SCHEMA_ASSERT_ERROR(validateLabels({{"version", "1"}, {"Os", "linux"}}),
                        "`labels[1].name`: invalid AC identifier `Os`");
    SCHEMA_ASSERT_ERROR(validateLabels({{"os", "linux"}, {"os", "linux"}}),
                        "`labels[1].name`: duplicate label `os`");
    SCHEMA_ASSERT_ERROR(validateLabels({{"name", "x"}}),
                        "`labels[0].name`: a label may not be called `name`");
    SCHEMA_ASSERT_ERROR(validateLabels({{"os", "plan9"}}),
                        "`labels`: bad os \"plan9\" (must be one of: [darwin freebsd linux])");
    SCHEMA_ASSERT_ERROR(validateLabels({{"os", "linux"}, {"arch", "arm64"}}),
                        "bad arch \"arm64\" for linux");
    SCHEMA_ASSERT_ERROR(validateLabels({{"os", "darwin"}, {"arch", "amd64"}}),
                        "bad arch \"amd64\" for darwin");
    SCHEMA_ASSERT_ERROR(
        validateLabels({{"", "x"}}, "dependencies[0].labels"),
        "`dependencies[0].labels[0].name`: invalid AC identifier: must not be empty");
  }

  void annotations() {
    SCHEMA_ASSERT_OK(validateAnnotations({{"authors", "me"},
                                          {"created", "2014-10-27T19:32:27.67021798Z"},
                                          {"homepage", "https://example.com"},
                                          {"documentation", "http://example.com/docs"},
                                          {"coreos.com/rkt/stage1/run", "/init"},
                                          {"name", "annotations may be called name"}}));
    SCHEMA_ASSERT_ERROR(validateAnnotations({{"Authors", "me"}}), "`annotations[0].name`");
    SCHEMA_ASSERT_ERROR(validateAnnotations({{"a", "1"}, {"a", "2"}}),
                        "`annotations[1].name`: duplicate annotation `a`");
    SCHEMA_ASSERT_ERROR(validateAnnotations({{"x", ""}, {"created", "yesterday"}}),
                        "`annotations[1].value`: invalid date `yesterday`");
    SCHEMA_ASSERT_ERROR(validateAnnotations({{"homepage", "ftp://example.com"}}),
                        "`annotations[0].value`: invalid URL `ftp://example.com`: the scheme must "
                        "be http or https");
    SCHEMA_ASSERT_ERROR(validateAnnotations({{"documentation", "example.com/docs"}}),
                        "http or https");
  }

  void rfc3339Dates() {
    for (const char* s :
         {"2014-10-27T19:32:27Z", "2014-10-27T19:32:27.67021798Z", "2014-10-27T19:32:27-07:00",
          "2014-10-27T19:32:27.5+05:30", "2016-02-29T00:00:00Z", "2000-02-29T23:59:59Z"}) {
      SCHEMA_ASSERT_OK(validateRfc3339(s));
    }
    for (const char* s :
         {"", "2014-10-27", "2014-10-27 19:32:27Z", "2014-10-27t19:32:27Z", "2014-10-27T19:32:27",
          "2014-10-27T19:32:27z", "2014-10-27T19:32:27+0100", "2014-10-27T19:32:27.Z",
          "2015-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2014-13-01T00:00:00Z",
          "2014-00-01T00:00:00Z", "2014-04-31T00:00:00Z", "2014-10-27T24:00:00Z",
          "2014-10-27T19:60:00Z", "2014-10-27T19:32:60Z", "2014-10-27T19:32:27+24:00",
          "14-10-27T19:32:27Z", "2014-10-27T19:32:27Zjunk"}) {
      CPPUNIT_ASSERT_MESSAGE(s, !validateRfc3339(s));
    }
  }

  void httpUrls() {
    SCHEMA_ASSERT_OK(validateHttpUrl("https://example.com"));
    SCHEMA_ASSERT_OK(validateHttpUrl("http://example.com:8080/a?b=c#d"));
    SCHEMA_ASSERT_OK(validateHttpUrl("HTTPS://example.com"));
    SCHEMA_ASSERT_ERROR(validateHttpUrl("mailto:me@example.com"), "http or https");
    SCHEMA_ASSERT_ERROR(validateHttpUrl(""), "http or https");
    SCHEMA_ASSERT_ERROR(validateHttpUrl("http://exa mple.com:99999999/"), "invalid URL");
  }

  void environment() {
    SCHEMA_ASSERT_OK(
        validateEnvironment({{"PATH", "/bin"}, {"_x", ""}, {"a.b-c", "v"}, {"X1", "="}}));
    for (const char* n : {"", "1X", "A B", "-a", ".a", "A=B", "\xc3\xa9"})
      CPPUNIT_ASSERT_MESSAGE(n, !isValidEnvironmentName(n));
    SCHEMA_ASSERT_ERROR(validateEnvironment({{"OK", "1"}, {"1BAD", "2"}}),
                        "`environment[1].name`: invalid environment variable name `1BAD`");
    SCHEMA_ASSERT_ERROR(validateEnvironment({{"A", "1"}, {"A", "2"}}, "app.environment"),
                        "`app.environment[1].name`: duplicate environment variable `A`");
  }

  void imageIds() {
    const std::string full = "sha512-" + std::string(128, 'a');
    SCHEMA_ASSERT_OK(validateImageId(full));
    SCHEMA_ASSERT_OK(validateImageId("sha512-" + std::string(64, '0')));
    SCHEMA_ASSERT_OK(validateImageId("sha512-abc"));
    SCHEMA_ASSERT_ERROR(validateImageId("sha256-abc"), "must start with `sha512-`");
    SCHEMA_ASSERT_ERROR(validateImageId("abc"), "must start with `sha512-`");
    SCHEMA_ASSERT_ERROR(validateImageId("sha512-"), "1 to 128 hex digits");
    SCHEMA_ASSERT_ERROR(validateImageId(full + "a"), "1 to 128 hex digits");
    SCHEMA_ASSERT_ERROR(validateImageId("sha512-ABC"), "lowercase hex");
    SCHEMA_ASSERT_ERROR(validateImageId("sha512-xyz"), "lowercase hex");
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-") + std::string(32, 'a'), shortImageId(full));
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-ab"), shortImageId("sha512-ab"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TypesTest);
