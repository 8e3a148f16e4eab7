#include <cppunit/extensions/HelperMacros.h>

#include "rkt/core/insecure_options.hpp"

using rkt::InsecureOption;
using rkt::InsecureOptions;

class InsecureOptionsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(InsecureOptionsTest);
  CPPUNIT_TEST(defaultIsNone);
  CPPUNIT_TEST(parsesSingleWords);
  CPPUNIT_TEST(parsesLists);
  CPPUNIT_TEST(groupsExpand);
  CPPUNIT_TEST(onDiskIsAcceptedAndIgnored);
  CPPUNIT_TEST(noneAloneAndCombined);
  CPPUNIT_TEST(rejectsUnknownWords);
  CPPUNIT_TEST(rejectsEmptyWords);
  CPPUNIT_TEST(isCaseSensitive);
  CPPUNIT_TEST(toStringRoundTrips);
  CPPUNIT_TEST(fromBitsDropsUnknownBits);
  CPPUNIT_TEST(wordListIsComplete);
  CPPUNIT_TEST_SUITE_END();

  static InsecureOptions parseOk(const char* s) {
    auto r = InsecureOptions::parse(s);
    CPPUNIT_ASSERT_MESSAGE(std::string("parse failed for ") + s, r.ok());
    return *r;
  }

 public:
  void defaultIsNone() {
    InsecureOptions o;
    CPPUNIT_ASSERT(o.none());
    CPPUNIT_ASSERT_EQUAL(std::string("none"), o.toString());
    CPPUNIT_ASSERT(!o.skipImageCheck());
  }

  void parsesSingleWords() {
    CPPUNIT_ASSERT_EQUAL(1u, parseOk("image").bits());
    CPPUNIT_ASSERT_EQUAL(2u, parseOk("tls").bits());
    CPPUNIT_ASSERT_EQUAL(8u, parseOk("http").bits());
    CPPUNIT_ASSERT_EQUAL(16u, parseOk("pubkey").bits());
    CPPUNIT_ASSERT_EQUAL(32u, parseOk("capabilities").bits());
    CPPUNIT_ASSERT_EQUAL(64u, parseOk("paths").bits());
    CPPUNIT_ASSERT_EQUAL(128u, parseOk("seccomp").bits());
    CPPUNIT_ASSERT(parseOk("image").skipImageCheck());
    CPPUNIT_ASSERT(parseOk("tls").skipTlsCheck());
    CPPUNIT_ASSERT(parseOk("http").allowHttp());
    CPPUNIT_ASSERT(parseOk("pubkey").allowInsecurePubkey());
    CPPUNIT_ASSERT(parseOk("capabilities").skipCapabilities());
    CPPUNIT_ASSERT(parseOk("paths").skipPaths());
    CPPUNIT_ASSERT(parseOk("seccomp").skipSeccomp());
  }

  void parsesLists() {
    InsecureOptions o = parseOk("image,http,seccomp");
    CPPUNIT_ASSERT_EQUAL(1u | 8u | 128u, o.bits());
    CPPUNIT_ASSERT(!o.skipTlsCheck());
    // Repeats are a set union, not an error.
    CPPUNIT_ASSERT_EQUAL(1u, parseOk("image,image").bits());
  }

  void groupsExpand() {
    // all-fetch includes pubkey (rkt's code does, its docs do not say so).
    CPPUNIT_ASSERT_EQUAL(1u | 2u | 8u | 16u, parseOk("all-fetch").bits());
    CPPUNIT_ASSERT_EQUAL(32u | 64u | 128u, parseOk("all-run").bits());
    CPPUNIT_ASSERT_EQUAL(255u & ~4u, parseOk("all").bits());
    CPPUNIT_ASSERT(parseOk("all-fetch,all-run") == parseOk("all"));
    CPPUNIT_ASSERT(parseOk("all,image") == parseOk("all"));
  }

  void onDiskIsAcceptedAndIgnored() {
    CPPUNIT_ASSERT(parseOk("ondisk").none());
    CPPUNIT_ASSERT(!parseOk("ondisk,image").has(InsecureOption::kOnDisk));
    CPPUNIT_ASSERT_EQUAL(1u, parseOk("ondisk,image").bits());
    CPPUNIT_ASSERT(!parseOk("all").has(InsecureOption::kOnDisk));
  }

  void noneAloneAndCombined() {
    CPPUNIT_ASSERT(parseOk("none").none());
    CPPUNIT_ASSERT_EQUAL(1u, parseOk("none,image").bits());
  }

  void rejectsUnknownWords() {
    auto r = InsecureOptions::parse("image,bogus");
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT(r.error().message.find("`bogus`") != std::string::npos);
    CPPUNIT_ASSERT(r.error().message.find("all-fetch") != std::string::npos);
    CPPUNIT_ASSERT(!InsecureOptions::parse("image tls").ok());
    CPPUNIT_ASSERT(!InsecureOptions::parse("all-").ok());
  }

  void rejectsEmptyWords() {
    CPPUNIT_ASSERT(!InsecureOptions::parse("").ok());
    CPPUNIT_ASSERT(!InsecureOptions::parse("image,").ok());
    CPPUNIT_ASSERT(!InsecureOptions::parse(",image").ok());
    CPPUNIT_ASSERT(!InsecureOptions::parse("image,,tls").ok());
  }

  void isCaseSensitive() { CPPUNIT_ASSERT(!InsecureOptions::parse("Image").ok()); }

  void toStringRoundTrips() {
    CPPUNIT_ASSERT_EQUAL(std::string("image,http"), parseOk("http,image").toString());
    CPPUNIT_ASSERT_EQUAL(std::string("image,tls,http,pubkey,capabilities,paths,seccomp"),
                         parseOk("all").toString());
    for (const char* s : {"none", "image", "all-fetch", "all-run", "all", "tls,seccomp"}) {
      const InsecureOptions o = parseOk(s);
      CPPUNIT_ASSERT_MESSAGE(s, parseOk(o.toString().c_str()) == o);
    }
  }

  void fromBitsDropsUnknownBits() {
    CPPUNIT_ASSERT_EQUAL(1u, InsecureOptions::fromBits(1u | 4u | 256u).bits());
  }

  void wordListIsComplete() {
    CPPUNIT_ASSERT_EQUAL(std::size_t(12), InsecureOptions::wordCount());
    for (std::size_t i = 0; i < InsecureOptions::wordCount(); ++i) {
      CPPUNIT_ASSERT_MESSAGE(InsecureOptions::words()[i],
                             InsecureOptions::parse(InsecureOptions::words()[i]).ok());
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(InsecureOptionsTest);
