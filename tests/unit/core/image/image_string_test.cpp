// rkt's image string classification (rkt-notes §1.5) and appc name parsing.
#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "rkt/core/image/image_string.hpp"

using rkt::image::classifyImage;
using rkt::image::ImageKind;
using rkt::image::ImageRef;
using rkt::image::parseAppcName;

class ImageStringTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ImageStringTest);
  CPPUNIT_TEST(hashes);
  CPPUNIT_TEST(urls);
  CPPUNIT_TEST(paths);
  CPPUNIT_TEST(existingFileWins);
  CPPUNIT_TEST(appcNames);
  CPPUNIT_TEST(docker);
  CPPUNIT_TEST(cimd);
  CPPUNIT_TEST(schemeFetchers);
  CPPUNIT_TEST(rktSchemesAreNotForPlugins);
  CPPUNIT_TEST(errors);
  CPPUNIT_TEST(appcNameParsing);
  CPPUNIT_TEST(appcNameErrors);
  CPPUNIT_TEST_SUITE_END();

  static ImageRef ok(const std::string& s) {
    auto r = classifyImage(s);
    CPPUNIT_ASSERT_MESSAGE("classify failed: " + s + ": " + (r ? "" : r.error().message), r.ok());
    return *r;
  }
  static std::string err(const std::string& s) {
    auto r = classifyImage(s);
    CPPUNIT_ASSERT_MESSAGE("classify succeeded: " + s, !r.ok());
    return r.error().message;
  }

 public:
  void hashes() {
    CPPUNIT_ASSERT(ok("sha512-abcd").kind == ImageKind::kHash);
    CPPUNIT_ASSERT(ok("sha512-0").kind == ImageKind::kHash);
    CPPUNIT_ASSERT(ok("sha512-abc-def").kind != ImageKind::kHash);  // two dashes: a name
    CPPUNIT_ASSERT(ok("sha256-abcd").kind == ImageKind::kAppc);
  }

  void urls() {
    ImageRef r = ok("https://example.com/images/etcd-v3.aci");
    CPPUNIT_ASSERT(r.kind == ImageKind::kAciArchive);
    CPPUNIT_ASSERT_EQUAL(std::string("aci-archive"), r.fetcherName());
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/images/etcd-v3.aci"), r.fetchString);
    CPPUNIT_ASSERT_EQUAL(r.fetchString, r.remoteUrl);
    CPPUNIT_ASSERT(!r.localFile);
    r = ok("HTTP://example.com/a.aci?x=1#frag");
    CPPUNIT_ASSERT(r.kind == ImageKind::kAciArchive);
    r = ok("file:///srv/a.aci");
    CPPUNIT_ASSERT(r.kind == ImageKind::kAciArchive);
    CPPUNIT_ASSERT(r.localFile);
    CPPUNIT_ASSERT(r.remoteUrl.empty());
  }

  void paths() {
    for (const char* p : {"/nonexistent/x", "./x", "../dir/x", "img.aci", "sub/img.aci"}) {
      ImageRef r = ok(p);
      CPPUNIT_ASSERT_MESSAGE(p, r.kind == ImageKind::kAciArchive);
      CPPUNIT_ASSERT_MESSAGE(p, r.localFile);
      CPPUNIT_ASSERT_EQUAL(std::string(p), r.fetchString);
    }
  }

  void existingFileWins() {
    char dir[] = "/tmp/rkt-imgstr-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(dir) != nullptr);
    char cwd[4096];
    CPPUNIT_ASSERT(::getcwd(cwd, sizeof cwd) != nullptr);
    CPPUNIT_ASSERT_EQUAL(0, ::chdir(dir));
    const int fd = ::open("example.com", O_CREAT | O_WRONLY, 0644);  // looks like a name
    ::close(fd);
    const bool isFile = ok("example.com").kind == ImageKind::kAciArchive;
    const bool nameOtherwise = ok("example.org").kind == ImageKind::kAppc;
    ::unlink("example.com");
    CPPUNIT_ASSERT_EQUAL(0, ::chdir(cwd));
    ::rmdir(dir);
    CPPUNIT_ASSERT(isFile);
    CPPUNIT_ASSERT(nameOtherwise);
  }

  void appcNames() {
    ImageRef r = ok("coreos.com/etcd:v2.0.9");
    CPPUNIT_ASSERT(r.kind == ImageKind::kAppc);
    CPPUNIT_ASSERT_EQUAL(std::string("coreos.com/etcd"), r.appc.name);
    CPPUNIT_ASSERT_EQUAL(std::string("coreos.com/etcd:v2.0.9"), r.fetchString);
    r = ok("busybox:1.0");  // parses as a URL with scheme "busybox": still a name
    CPPUNIT_ASSERT(r.kind == ImageKind::kAppc);
    CPPUNIT_ASSERT_EQUAL(std::string("busybox"), r.appc.name);
    r = ok("example.com/app,os=linux,arch=amd64");
    CPPUNIT_ASSERT(r.kind == ImageKind::kAppc);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app,arch=amd64,os=linux"), r.fetchString);
    CPPUNIT_ASSERT_EQUAL(std::string("appc"), r.fetcherName());
    CPPUNIT_ASSERT(ok("example.com/app").kind == ImageKind::kAppc);
  }

  void docker() {
    ImageRef r = ok("docker://busybox");
    CPPUNIT_ASSERT(r.kind == ImageKind::kDocker);
    CPPUNIT_ASSERT_EQUAL(std::string("docker://busybox"), r.fetchString);
    CPPUNIT_ASSERT_EQUAL(std::string("docker://busybox"), r.remoteUrl);
    r = ok("docker:quay.io/coreos/etcd:v3");
    CPPUNIT_ASSERT(r.kind == ImageKind::kDocker);
    CPPUNIT_ASSERT_EQUAL(std::string("docker://quay.io/coreos/etcd:v3"), r.fetchString);
    CPPUNIT_ASSERT_EQUAL(std::string("docker"), r.fetcherName());
  }

  void cimd() {
    ImageRef r = ok("cimd:aci-archive:v=0:file%3A%2F%2F%2Fabs%2Fpath.aci");
    CPPUNIT_ASSERT(r.kind == ImageKind::kAciArchive);
    CPPUNIT_ASSERT_EQUAL(std::string("file:///abs/path.aci"), r.fetchString);
    CPPUNIT_ASSERT(r.localFile);
    r = ok("cimd:docker:v=0:busybox:latest");
    CPPUNIT_ASSERT(r.kind == ImageKind::kDocker);
    CPPUNIT_ASSERT_EQUAL(std::string("docker://busybox:latest"), r.fetchString);
    r = ok("cimd:appc:v=0:coreos.com/etcd?version=v3.0.3&os=linux&arch=amd64");
    CPPUNIT_ASSERT(r.kind == ImageKind::kAppc);
    CPPUNIT_ASSERT_EQUAL(std::string("coreos.com/etcd"), r.appc.name);
    CPPUNIT_ASSERT_EQUAL(std::string("coreos.com/etcd:v3.0.3,arch=amd64,os=linux"), r.fetchString);
    CPPUNIT_ASSERT_EQUAL(std::string("malformed distribution uri: \"cimd:appc\""),
                         err("cimd:appc"));
    CPPUNIT_ASSERT(!classifyImage("cimd:appc:v=x:name").ok());
    CPPUNIT_ASSERT(!classifyImage("cimd:oci:v=0:x").ok());
  }

  // docs/plugins.md "Routing": SCHEME:rest and SCHEME://rest go to an installed
  // fetcher-SCHEME.so; without one they stay appc names (name:version), as in rkt.
  void schemeFetchers() {
    std::vector<std::string> asked;
    auto helloOnly = [&asked](const std::string& scheme) {
      asked.push_back(scheme);
      return scheme == "hello";
    };
    auto r = classifyImage("hello:world", helloOnly);
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT(r->kind == ImageKind::kScheme);
    CPPUNIT_ASSERT_EQUAL(std::string("hello"), r->fetcherName());
    CPPUNIT_ASSERT_EQUAL(std::string("hello:world"), r->fetchString);
    CPPUNIT_ASSERT_EQUAL(std::string("hello:world"), r->remoteUrl);
    CPPUNIT_ASSERT(!r->localFile);
    r = classifyImage("HELLO://world/x?y", helloOnly);
    CPPUNIT_ASSERT(r->kind == ImageKind::kScheme);
    CPPUNIT_ASSERT_EQUAL(std::string("hello"), r->scheme);
    CPPUNIT_ASSERT_EQUAL(std::string("HELLO://world/x?y"), r->fetchString);
    // No such plugin, or nobody asking: an appc name with a version, as rkt reads it.
    r = classifyImage("busybox:1.0", helloOnly);
    CPPUNIT_ASSERT(r->kind == ImageKind::kAppc);
    CPPUNIT_ASSERT_EQUAL(std::string("busybox"), r->appc.name);
    CPPUNIT_ASSERT(ok("hello:world").kind == ImageKind::kAppc);
    CPPUNIT_ASSERT((asked == std::vector<std::string>{"hello", "hello", "busybox"}));
    // What has no scheme is never routed: paths, names with a slash before the colon, IDs.
    // A file named like a scheme reference is reached as ./FILE (existing, as rkt's guess wants).
    asked.clear();
    char dir[] = "/tmp/rkt-imgstr-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(dir) != nullptr);
    char cwd[4096];
    CPPUNIT_ASSERT(::getcwd(cwd, sizeof cwd) != nullptr);
    CPPUNIT_ASSERT_EQUAL(0, ::chdir(dir));
    ::close(::open("hello:world", O_CREAT | O_WRONLY, 0644));
    const ImageKind schemeWins = classifyImage("hello:world", helloOnly)->kind;
    const ImageKind dotSlashIsFile = classifyImage("./hello:world", helloOnly)->kind;
    ::unlink("hello:world");
    CPPUNIT_ASSERT_EQUAL(0, ::chdir(cwd));
    ::rmdir(dir);
    CPPUNIT_ASSERT(schemeWins == ImageKind::kScheme);
    CPPUNIT_ASSERT(dotSlashIsFile == ImageKind::kAciArchive);
    CPPUNIT_ASSERT((asked == std::vector<std::string>{"hello"}));
    asked.clear();
    CPPUNIT_ASSERT(classifyImage("/srv/hello:world", helloOnly)->kind == ImageKind::kAciArchive);
    CPPUNIT_ASSERT(classifyImage("example.com/hello:1", helloOnly)->kind == ImageKind::kAppc);
    CPPUNIT_ASSERT(classifyImage("sha512-abcd", helloOnly)->kind == ImageKind::kHash);
    CPPUNIT_ASSERT(asked.empty());
  }

  // file, http(s), docker and cimd keep rkt's meaning, and the distribution fetchers never get
  // `SCHEME:rest` strings, whatever is installed.
  void rktSchemesAreNotForPlugins() {
    std::vector<std::string> asked;
    auto everything = [&asked](const std::string& scheme) {
      asked.push_back(scheme);
      return true;
    };
    CPPUNIT_ASSERT(classifyImage("docker:busybox", everything)->kind == ImageKind::kDocker);
    CPPUNIT_ASSERT(classifyImage("docker://busybox", everything)->kind == ImageKind::kDocker);
    CPPUNIT_ASSERT(classifyImage("https://x.test/a.aci", everything)->kind ==
                   ImageKind::kAciArchive);
    CPPUNIT_ASSERT(classifyImage("file:///a.aci", everything)->kind == ImageKind::kAciArchive);
    CPPUNIT_ASSERT(!classifyImage("http://x.test/a", everything).ok());
    CPPUNIT_ASSERT(classifyImage("cimd:docker:v=0:busybox", everything)->kind ==
                   ImageKind::kDocker);
    CPPUNIT_ASSERT(classifyImage("appc:1.0", everything)->kind == ImageKind::kAppc);
    CPPUNIT_ASSERT(classifyImage("aci-archive:1.0", everything)->kind == ImageKind::kAppc);
    CPPUNIT_ASSERT(asked.empty());
  }

  void errors() {
    CPPUNIT_ASSERT_EQUAL(std::string("invalid image string \"http://example.com/x\""),
                         err("http://example.com/x"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid image string \"file:///srv/x.tar\""),
                         err("file:///srv/x.tar"));
    CPPUNIT_ASSERT(err("Example.com/App").find("invalid appc image string") == 0);
    CPPUNIT_ASSERT(err("a_b:1").find("failed to parse image url") == 0);
  }

  void appcNameParsing() {
    auto a = parseAppcName("example.com/app:1.2.3,os=linux,arch=amd64");
    CPPUNIT_ASSERT(a.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app"), a->name);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, a->labels.size());
    CPPUNIT_ASSERT_EQUAL(std::string("version"), a->labels[0].name);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3"), a->labels[0].value);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app:1.2.3,arch=amd64,os=linux"), a->toString());
    auto b = parseAppcName("example.com/app,version=2");
    CPPUNIT_ASSERT(b.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app:2"), b->toString());
  }

  void appcNameErrors() {
    auto colon = parseAppcName("example.com/app,os=linux:1");
    CPPUNIT_ASSERT(!colon.ok());
    CPPUNIT_ASSERT_EQUAL(
        std::string("malformed app string - colon may appear only right after the app name"),
        colon.error().message);
    CPPUNIT_ASSERT(!parseAppcName("a:1:2").ok());
    CPPUNIT_ASSERT(!parseAppcName("a,os").ok());
    CPPUNIT_ASSERT(!parseAppcName("a,os=linux,os=freebsd").ok());
    CPPUNIT_ASSERT(!parseAppcName("a,Bad=1").ok());
    CPPUNIT_ASSERT(!parseAppcName(":1").ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageStringTest);
