// UUID arguments: prefix matching across the pod directories, with rkt's messages.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include "pod_test_support.hpp"
#include "rkt/core/pod/pod.hpp"

using rkt::pod::Phase;
using rkt::pod::Pod;
using rkt::pod::State;
using rkt::pod::Uuid;

class PodResolveTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodResolveTest);
  CPPUNIT_TEST(resolvesUniquePrefix);
  CPPUNIT_TEST(reportsAmbiguousPrefix);
  CPPUNIT_TEST(reportsNoMatch);
  CPPUNIT_TEST(rejectsEmptyArgument);
  CPPUNIT_TEST(matchesCaseInsensitively);
  CPPUNIT_TEST(searchesRktsDirectoriesByDefault);
  CPPUNIT_TEST(listsSortedUniqueUuids);
  CPPUNIT_TEST(opensByPrefix);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    tmp_ = std::make_unique<podtest::TempDataDir>();
    dirs_ = std::make_unique<rkt::pod::PodDirs>(tmp_->dirs());
    CPPUNIT_ASSERT(dirs_->ensure().ok());
    // Fixed UUIDs, one per phase, sharing prefixes on purpose.
    add(Phase::Prepare, "aaaa1111-0000-4000-8000-000000000001");
    add(Phase::Prepared, "aaaa2222-0000-4000-8000-000000000002");
    add(Phase::Run, "bbbb1111-0000-4000-8000-000000000003");
    add(Phase::ExitedGarbage, "cccc1111-0000-4000-8000-000000000004");
    add(Phase::Embryo, "dddd1111-0000-4000-8000-000000000005");
    add(Phase::Garbage, "eeee1111-0000-4000-8000-000000000006");
  }
  void tearDown() override {
    dirs_.reset();
    tmp_.reset();
  }

  void resolvesUniquePrefix() {
    for (const char* arg : {"aaaa1", "aaaa1111-0000-4000-8000-000000000001", "c", "bbbb"}) {
      rkt::Result<Uuid> u = rkt::pod::resolveUuid(*dirs_, arg);
      CPPUNIT_ASSERT_MESSAGE(arg, u.ok());
      CPPUNIT_ASSERT(u->str().rfind(arg, 0) == 0);
    }
  }

  void reportsAmbiguousPrefix() {
    rkt::Result<Uuid> u = rkt::pod::resolveUuid(*dirs_, "aaaa");
    CPPUNIT_ASSERT(!u.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("ambiguous uuid, 2 matches"), u.error().message);
  }

  void reportsNoMatch() {
    rkt::Result<Uuid> u = rkt::pod::resolveUuid(*dirs_, "ffff");
    CPPUNIT_ASSERT(!u.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("no matches found for \"ffff\""), u.error().message);
    CPPUNIT_ASSERT_EQUAL(ENOENT, u.error().sysErrno);
    // Longer than a UUID: no match either.
    u = rkt::pod::resolveUuid(*dirs_, "aaaa1111-0000-4000-8000-0000000000011");
    CPPUNIT_ASSERT(!u.ok());
    // Quoted the way Go's %q does.
    u = rkt::pod::resolveUuid(*dirs_, "a\"b\\c\n");
    CPPUNIT_ASSERT_EQUAL(std::string("no matches found for \"a\\\"b\\\\c\\n\""), u.error().message);
  }

  void rejectsEmptyArgument() {
    rkt::Result<Uuid> u = rkt::pod::resolveUuid(*dirs_, "");
    CPPUNIT_ASSERT(!u.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("UUID cannot be empty"), u.error().message);
  }

  void matchesCaseInsensitively() {
    rkt::Result<Uuid> u = rkt::pod::resolveUuid(*dirs_, "BBBB1111-0000");
    CPPUNIT_ASSERT(u.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("bbbb1111-0000-4000-8000-000000000003"), u->str());
    u = rkt::pod::resolveUuid(*dirs_, "FFFF");
    CPPUNIT_ASSERT_EQUAL(std::string("no matches found for \"ffff\""), u.error().message);
  }

  void searchesRktsDirectoriesByDefault() {
    // rkt matches against prepare, prepared, run and exited-garbage only.
    CPPUNIT_ASSERT(!rkt::pod::resolveUuid(*dirs_, "dddd").ok());
    CPPUNIT_ASSERT(!rkt::pod::resolveUuid(*dirs_, "eeee").ok());
    rkt::Result<Uuid> embryo = rkt::pod::resolveUuid(*dirs_, "dddd", rkt::pod::allPhases());
    CPPUNIT_ASSERT(embryo.ok());
    rkt::Result<Uuid> garbage = rkt::pod::resolveUuid(*dirs_, "eeee", rkt::pod::allPhases());
    CPPUNIT_ASSERT(garbage.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("eeee1111-0000-4000-8000-000000000006"), garbage->str());
  }

  void listsSortedUniqueUuids() {
    // Not pods: other names, non-canonical spellings, and a UUID-named directory elsewhere.
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir((dirs_->dir(Phase::Run) + "/lost+found").c_str(), 0700));
    CPPUNIT_ASSERT_EQUAL(
        0,
        ::mkdir((dirs_->dir(Phase::Run) + "/BBBB2222-0000-4000-8000-000000000003").c_str(), 0700));
    // The same pod seen in two directories (it moved while we listed) is listed once.
    add(Phase::Run, "aaaa2222-0000-4000-8000-000000000002");
    rkt::Result<std::vector<Uuid>> all = rkt::pod::listPods(*dirs_, rkt::pod::allPhases());
    CPPUNIT_ASSERT(all.ok());
    std::string got;
    for (const Uuid& u : *all)
      got += u.str().substr(0, 8) + " ";
    CPPUNIT_ASSERT_EQUAL(std::string("aaaa1111 aaaa2222 bbbb1111 cccc1111 dddd1111 eeee1111 "),
                         got);
    rkt::Result<std::vector<Uuid>> run = rkt::pod::listPods(*dirs_, {Phase::Run});
    CPPUNIT_ASSERT_EQUAL(size_t(2), run->size());

    // Missing phase directories are empty, not errors.
    podtest::TempDataDir empty;
    rkt::Result<std::vector<Uuid>> none = rkt::pod::listPods(empty.dirs(), rkt::pod::allPhases());
    CPPUNIT_ASSERT(none.ok());
    CPPUNIT_ASSERT(none->empty());
  }

  void opensByPrefix() {
    rkt::Result<Pod> pod = rkt::pod::openPod(*dirs_, "cccc");
    CPPUNIT_ASSERT(pod.ok());
    CPPUNIT_ASSERT_EQUAL(State::ExitedGarbage, pod->state());
    pod = rkt::pod::openPod(*dirs_, "aaaa1");
    CPPUNIT_ASSERT_EQUAL(State::AbortedPrepare, pod->state());
    rkt::Result<Pod> none = rkt::pod::openPod(*dirs_, "9");
    CPPUNIT_ASSERT(!none.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("no matches found for \"9\""), none.error().message);
  }

 private:
  void add(Phase phase, const std::string& uuid) {
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir((dirs_->dir(phase) + "/" + uuid).c_str(), 0750));
  }

  std::unique_ptr<podtest::TempDataDir> tmp_;
  std::unique_ptr<rkt::pod::PodDirs> dirs_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodResolveTest);
