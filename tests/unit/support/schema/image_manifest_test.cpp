// ImageManifest: top-level fields, JSON leniency, serialisation and round trips.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/image_manifest.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;
using rkt::schema::test::imageJson;

class ImageManifestTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ImageManifestTest);
  CPPUNIT_TEST(minimalManifest);
  CPPUNIT_TEST(acKindAndVersion);
  CPPUNIT_TEST(name);
  CPPUNIT_TEST(labels);
  CPPUNIT_TEST(app);
  CPPUNIT_TEST(dependencies);
  CPPUNIT_TEST(pathWhitelist);
  CPPUNIT_TEST(annotations);
  CPPUNIT_TEST(jsonLikeTheGoLibrary);
  CPPUNIT_TEST(malformedJson);
  CPPUNIT_TEST(serialisationOmitsEmptyFields);
  CPPUNIT_TEST(serialisationValidatesFirst);
  CPPUNIT_TEST(builtInCodeRoundTrips);
  CPPUNIT_TEST(stringsSurviveTheIndenter);
  CPPUNIT_TEST_SUITE_END();

  static ImageManifest good(const std::string& json) {
    auto m = parseImageManifest(json);
    SCHEMA_ASSERT_OK(m);
    return *m;
  }

  static ImageManifest everyField() {
    ImageManifest m;
    m.name = "example.com/every-field";
    m.labels = {{"version", "2.0"}, {"os", "linux"}, {"arch", "aarch64"}};
    App app;
    app.exec = {"/bin/server", "--port=80"};
    app.user = "www";
    app.group = "www";
    app.supplementaryGids = {10, 20};
    app.eventHandlers = {{"pre-start", {"/bin/prep"}}, {"post-stop", {"/bin/clean"}}};
    app.workingDirectory = "/srv";
    app.environment = {{"MODE", "prod"}};
    app.isolators = {
        Isolator{"resource/memory", ResourceValue{false, Quantity::parse("512Mi").value(),
                                                  Quantity::parse("1Gi").value()}},
        Isolator{"resource/cpu",
                 ResourceValue{false, std::nullopt, Quantity::fromMilliValue(1500)}},
        Isolator{"resource/network-bandwidth",
                 ResourceValue{true, std::nullopt, Quantity::parse("10M").value()}},
        Isolator{"os/linux/capabilities-remove-set", CapabilitySet{{"CAP_NET_RAW"}}},
        Isolator{"os/linux/no-new-privileges", NoNewPrivileges{true}},
        Isolator{"os/linux/seccomp-remove-set",
                 SeccompSet{{"ptrace", "@rkt/default-blacklist"}, "EPERM"}},
        Isolator{"os/linux/selinux-context", SelinuxContext{"u", "r", "t", "s0"}},
        Isolator{"os/linux/apparmor-profile", ApparmorProfile{"p"}},
        Isolator{"os/linux/oom-score-adj", OomScoreAdj{-500}},
        Isolator{"os/linux/cpu-shares", CpuShares{512}},
        Isolator{"os/unix/sysctl", Sysctl{{{"net.ipv4.ip_forward", "1"}}}},
    };
    app.mountPoints = {{"data", "/srv/data", true}, {"cache", "/var/cache", false}};
    app.ports = {{"http", "tcp", 80, 1, false}, {"range", "udp", 5000, 10, true}};
    app.userAnnotations = {{"owner", "team-a"}};
    app.userLabels = {{"tier", "frontend"}};
    m.app = app;
    m.dependencies = {
        {"example.com/base", "sha512-" + std::string(64, 'c'), {{"os", "linux"}}, 1234},
        {"example.com/other", "", {}, 0}};
    m.pathWhitelist = {"/bin/server", "/etc/"};
    m.annotations = {{"created", "2020-01-02T03:04:05Z"}, {"homepage", "https://example.com"}};
    return m;
  }

 public:
  void minimalManifest() {
    ImageManifest m = good(imageJson());
    CPPUNIT_ASSERT_EQUAL(std::string("ImageManifest"), m.acKind);
    CPPUNIT_ASSERT_EQUAL(std::string("0.8.11"), m.acVersion);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/test"), m.name);
    CPPUNIT_ASSERT(m.labels.empty() && !m.app && m.dependencies.empty() &&
                   m.pathWhitelist.empty() && m.annotations.empty());
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/test"})"),
        serializeImageManifest(m).value());
    // A default-constructed manifest carries the kind and the spec version.
    ImageManifest fresh;
    fresh.name = "example.com/test";
    CPPUNIT_ASSERT(fresh == m);
  }

  void acKindAndVersion() {
    SCHEMA_ASSERT_ERROR(parseImageManifest(R"({"acVersion":"0.8.11","name":"a.com/x"})"),
                        "invalid image manifest: `acKind`: must be set to `ImageManifest`");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(R"({"acKind":"PodManifest","acVersion":"0.8.11","name":"a.com/x"})"),
        "`acKind`: must be `ImageManifest`, got `PodManifest`");
    SCHEMA_ASSERT_ERROR(parseImageManifest(R"({"acKind":1,"acVersion":"0.8.11","name":"a.com/x"})"),
                        "`acKind`: expected a string, got a number");
    SCHEMA_ASSERT_ERROR(parseImageManifest(R"({"acKind":"ImageManifest","name":"a.com/x"})"),
                        "`acVersion`: must be set");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(R"({"acKind":"ImageManifest","acVersion":"1.0","name":"a.com/x"})"),
        "`acVersion`: `1.0` is not a semantic version");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(R"({"acKind":"ImageManifest","acVersion":"0.0.0","name":"a.com/x"})"),
        "above 0.0.0");
    CPPUNIT_ASSERT_EQUAL(
        std::string("1.30.0-rc1+git"),
        good(R"({"acKind":"ImageManifest","acVersion":"1.30.0-rc1+git","name":"a.com/x"})")
            .acVersion);
  }

  void name() {
    CPPUNIT_ASSERT_EQUAL(
        std::string("example.com/~bob/db_1"),
        good(R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/~bob/db_1"})")
            .name);
    SCHEMA_ASSERT_ERROR(parseImageManifest(R"({"acKind":"ImageManifest","acVersion":"0.8.11"})"),
                        "`name`: must be set");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(
            R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"Example.com/X"})"),
        "`name`: invalid AC identifier `Example.com/X`: upper-case");
  }

  void labels() {
    ImageManifest m = good(imageJson(
        R"("labels":[{"name":"version","value":"1"},{"name":"os","value":"linux"},{"name":"arch","value":"armv7l"}])"));
    CPPUNIT_ASSERT_EQUAL(std::string("armv7l"), m.label(kLabelArch).value());
    CPPUNIT_ASSERT(!m.label("channel"));
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson(
            R"("labels":[{"name":"version","value":"1"},{"name":"version","value":"2"}])")),
        "`labels[1].name`: duplicate label `version`");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson(
            R"("labels":[{"name":"os","value":"linux"},{"name":"arch","value":"arm64"}])")),
        "`labels`: bad arch \"arm64\" for linux");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("labels":[{"name":"name","value":"x"}])")),
                        "a label may not be called `name`");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("labels":{"version":"1"})")),
                        "`labels`: expected an array, got an object");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("labels":[{"name":"version","value":1}])")),
                        "`labels[0].value`: expected a string, got a number");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("labels":["version"])")),
                        "`labels[0]`: expected an object, got a string");
  }

  void app() {
    CPPUNIT_ASSERT(!good(imageJson()).app);
    CPPUNIT_ASSERT(!good(imageJson(R"("app":null)")).app);
    CPPUNIT_ASSERT(good(imageJson(R"("app":{"user":"0","group":"0"})")).app.has_value());
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("app":[])")),
                        "`app`: expected an object, got an array");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("app":{})")), "`app.user`: must be set");
  }

  void dependencies() {
    const std::string id = "sha512-" + std::string(128, 'e');
    ImageManifest m = good(imageJson(
        R"("dependencies":[{"imageName":"example.com/base","imageID":")" + id +
        R"(","labels":[{"name":"os","value":"linux"}],"size":100},{"imageName":"example.com/min"}])"));
    CPPUNIT_ASSERT_EQUAL(size_t(2), m.dependencies.size());
    CPPUNIT_ASSERT(
        (m.dependencies[0] == Dependency{"example.com/base", id, {{"os", "linux"}}, 100}));
    CPPUNIT_ASSERT((m.dependencies[1] == Dependency{"example.com/min", "", {}, 0}));
    CPPUNIT_ASSERT_EQUAL(
        std::uint64_t(18446744073709551615ULL),
        good(imageJson(R"("dependencies":[{"imageName":"a.com/b","size":18446744073709551615}])"))
            .dependencies[0]
            .size);
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson(R"("dependencies":[{"imageID":")" + id + R"("}])")),
        "`dependencies[0].imageName`: must be set");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(
                            R"("dependencies":[{"imageName":"a.com/b"},{"imageName":"A"}])")),
                        "`dependencies[1].imageName`: invalid AC identifier `A`");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(
                            R"("dependencies":[{"imageName":"a.com/b","imageID":"sha512"}])")),
                        "`dependencies[0].imageID`: invalid image ID `sha512`");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson(R"("dependencies":[{"imageName":"a.com/b","size":-1}])")),
        "`dependencies[0].size`: must not be negative");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson(R"("dependencies":[{"imageName":"a.com/b","size":"1"}])")),
        "`dependencies[0].size`: expected an integer");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson(
            R"("dependencies":[{"imageName":"a.com/b","labels":[{"name":"os","value":"x"}]}])")),
        "`dependencies[0].labels`: bad os \"x\"");
  }

  void pathWhitelist() {
    ImageManifest m = good(imageJson(R"("pathWhitelist":["/etc/x","/usr/bin/","/a/../b"])"));
    CPPUNIT_ASSERT_EQUAL(size_t(3), m.pathWhitelist.size());
    CPPUNIT_ASSERT(good(imageJson(R"("pathWhitelist":[])")).pathWhitelist.empty());
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("pathWhitelist":["/ok","etc/x"])")),
                        "`pathWhitelist[1]`: must be an absolute path, got `etc/x`");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("pathWhitelist":[""])")),
                        "`pathWhitelist[0]`");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(R"("pathWhitelist":"/etc")")),
                        "`pathWhitelist`: expected an array");
  }

  void annotations() {
    ImageManifest m = good(imageJson(
        R"("annotations":[{"name":"created","value":"2014-10-27T19:32:27Z"},{"name":"appc.io/executor/supports-systemd-notify","value":"true"}])"));
    CPPUNIT_ASSERT_EQUAL(std::string("true"),
                         m.annotation(kAnnotationSupportsSystemdNotify).value());
    CPPUNIT_ASSERT(!m.annotation("homepage"));
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson(R"("annotations":[{"name":"created","value":"2014-10-27"}])")),
        "`annotations[0].value`: invalid date `2014-10-27`");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(
                            R"("annotations":[{"name":"homepage","value":"gopher://x"}])")),
                        "`annotations[0].value`: invalid URL");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson(
                            R"("annotations":[{"name":"a","value":""},{"name":"a","value":""}])")),
                        "`annotations[1].name`: duplicate annotation `a`");
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson(R"("annotations":[{"name":"A b","value":""}])")),
        "`annotations[0].name`: invalid AC identifier");
  }

  void jsonLikeTheGoLibrary() {
    // Keys match case-insensitively.
    ImageManifest m = good(
        R"({"ACKIND":"ImageManifest","AcVersion":"0.8.11","NAME":"a.com/x","App":{"User":"0","GROUP":"0","WorkingDirectory":"/w"}})");
    CPPUNIT_ASSERT_EQUAL(std::string("a.com/x"), m.name);
    CPPUNIT_ASSERT_EQUAL(std::string("/w"), m.app->workingDirectory);
    // Unknown keys are ignored, at every level.
    m = good(imageJson(
        R"("future":{"x":[1,2]},"app":{"user":"0","group":"0","colour":"blue"},"labels":[{"name":"os","value":"linux","extra":true}])"));
    CPPUNIT_ASSERT_EQUAL(std::string("linux"), m.label("os").value());
    CPPUNIT_ASSERT(serializeImageManifest(m).value().find("future") == std::string::npos);
    // null reads as absent.
    m = good(
        imageJson(R"("labels":null,"annotations":null,"dependencies":null,"pathWhitelist":null)"));
    CPPUNIT_ASSERT(m.labels.empty());
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":null})"),
        "`name`: must be set");
    // A repeated key: the last one wins, also when it differs only in case.
    CPPUNIT_ASSERT_EQUAL(std::string("b.com/y"), good(imageJson(R"("name":"b.com/y")")).name);
    CPPUNIT_ASSERT_EQUAL(std::string("c.com/z"), good(imageJson(R"("Name":"c.com/z")")).name);
  }

  void malformedJson() {
    SCHEMA_ASSERT_ERROR(parseImageManifest(""), "invalid image manifest: malformed JSON");
    SCHEMA_ASSERT_ERROR(parseImageManifest("{"), "malformed JSON");
    SCHEMA_ASSERT_ERROR(parseImageManifest(imageJson() + "x"), "malformed JSON");
    SCHEMA_ASSERT_ERROR(parseImageManifest(R"({"acKind":"ImageManifest",})"), "malformed JSON");
    SCHEMA_ASSERT_ERROR(parseImageManifest("[]"),
                        "invalid image manifest: expected an object, got an array");
    // Invalid UTF-8 is refused (Go would substitute U+FFFD).
    SCHEMA_ASSERT_ERROR(
        parseImageManifest(imageJson("\"annotations\":[{\"name\":\"a\",\"value\":\"\xff\"}]")),
        "malformed JSON");
  }

  void serialisationOmitsEmptyFields() {
    ImageManifest m = good(imageJson(
        R"("app":{"user":"0","group":"0","mountPoints":[{"name":"d","path":"/d","readOnly":false}],"ports":[{"name":"p","protocol":"tcp","port":1}]},"dependencies":[{"imageName":"a.com/b","size":0}])"));
    const std::string out = serializeImageManifest(m).value();
    CPPUNIT_ASSERT_EQUAL(
        std::string(
            R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/test",)"
            R"("app":{"user":"0","group":"0","mountPoints":[{"name":"d","path":"/d"}],)"
            R"("ports":[{"name":"p","protocol":"tcp","port":1,"count":1,"socketActivated":false}]},)"
            R"("dependencies":[{"imageName":"a.com/b"}]})"),
        out);
    // The reference library's field order.
    const std::string all = serializeImageManifest(everyField()).value();
    const size_t labels = all.find("\"labels\""), app = all.find("\"app\""),
                 annotations = all.find("\"annotations\""), deps = all.find("\"dependencies\""),
                 whitelist = all.find("\"pathWhitelist\"");
    CPPUNIT_ASSERT(labels < app && app < annotations && annotations < deps && deps < whitelist);
    const size_t exec = all.find("\"exec\""), handlers = all.find("\"eventHandlers\""),
                 user = all.find("\"user\""), gids = all.find("\"supplementaryGIDs\""),
                 userLabels = all.find("\"userLabels\"");
    CPPUNIT_ASSERT(exec < handlers && handlers < user && user < gids && gids < userLabels);
  }

  void serialisationValidatesFirst() {
    ImageManifest m = everyField();
    m.app->user.clear();
    SCHEMA_ASSERT_ERROR(serializeImageManifest(m),
                        "invalid image manifest: `app.user`: must be set");
    m = everyField();
    m.app->isolators.push_back(Isolator{"example.com/custom", UnknownIsolatorValue{"{}"}});
    SCHEMA_ASSERT_ERROR(serializeImageManifest(m), "`app.isolators[11].name`: unknown isolator");
    m = everyField();
    m.name = "";
    SCHEMA_ASSERT_ERROR(validateImageManifest(m), "`name`: must be set");
  }

  void builtInCodeRoundTrips() {
    const ImageManifest m = everyField();
    SCHEMA_ASSERT_OK(validateImageManifest(m));
    for (JsonStyle style : {JsonStyle::Compact, JsonStyle::Pretty}) {
      auto text = serializeImageManifest(m, style);
      SCHEMA_ASSERT_OK(text);
      ImageManifest back = good(*text);
      CPPUNIT_ASSERT(back == m);
      CPPUNIT_ASSERT_EQUAL(
          std::string("1500m"),
          findIsolator(back.app->isolators, "resource/cpu")->as<ResourceValue>()->limit->text());
    }
    ImageManifest changed = m;
    changed.app->ports[0].port = 81;
    CPPUNIT_ASSERT(changed != m);
  }

  void stringsSurviveTheIndenter() {
    ImageManifest m = good(imageJson());
    m.annotations = {{"tricky", "{\"a\":[1,2]}, \\\"q\\\" : \t\n \u00e9"}, {"empty", ""}};
    for (JsonStyle style : {JsonStyle::Compact, JsonStyle::Pretty}) {
      auto text = serializeImageManifest(m, style);
      SCHEMA_ASSERT_OK(text);
      CPPUNIT_ASSERT(good(*text) == m);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageManifestTest);
