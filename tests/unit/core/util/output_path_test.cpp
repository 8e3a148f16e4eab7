// Command outputs built beside their path and renamed over it: never written through a symlink,
// the old output untouched until commit, nothing left by an output that is not committed.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "rkt/core/util/output_path.hpp"

using rkt::util::OutputDir;
using rkt::util::OutputFile;

class OutputPathTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OutputPathTest);
  CPPUNIT_TEST(fileAppearsOnlyOnCommit);
  CPPUNIT_TEST(fileRefusesAnyExistingPathWithoutOverwrite);
  CPPUNIT_TEST(fileReplacesASymlinkNotItsTarget);
  CPPUNIT_TEST(fileRefusesToReplaceADirectory);
  CPPUNIT_TEST(fileNotCommittedLeavesNothing);
  CPPUNIT_TEST(dirIsCreatedOnCommit);
  CPPUNIT_TEST(dirReplacesTheOldOutputOnlyOnCommit);
  CPPUNIT_TEST(dirReplacesASymlinkNotItsTarget);
  CPPUNIT_TEST(dirRefusesAPathThatAppearedMeanwhile);
  CPPUNIT_TEST_SUITE_END();

  std::string dir_;

  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  static std::string read(const std::string& file) {
    std::ifstream in(file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void write(const std::string& file, const std::string& text) {
    std::ofstream(file) << text;
  }
  static void writeFd(int fd, const std::string& text) {
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(text.size()), ::write(fd, text.data(), text.size()));
  }
  // Entries of the scratch directory, so that a temporary left behind shows.
  std::size_t entries() const {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      (void)e;
      ++n;
    }
    return n;
  }
  bool isSymlink(const std::string& p) const {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
  }

 public:
  void setUp() override {
    char tmpl[] = "/tmp/rkt-output-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
  }
  void tearDown() override { std::filesystem::remove_all(dir_); }

  void fileAppearsOnlyOnCommit() {
    auto out = OutputFile::create(path("out.aci"), false);
    CPPUNIT_ASSERT(out.ok());
    writeFd(out->fd(), "new");
    CPPUNIT_ASSERT_EQUAL(-1, ::access(path("out.aci").c_str(), F_OK));
    CPPUNIT_ASSERT(out->commit().ok());
    CPPUNIT_ASSERT_EQUAL(std::string("new"), read(path("out.aci")));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, entries());
  }

  void fileRefusesAnyExistingPathWithoutOverwrite() {
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(path("nowhere").c_str(), path("dangling").c_str()));
    auto out = OutputFile::create(path("dangling"), false);
    CPPUNIT_ASSERT(!out.ok());
    CPPUNIT_ASSERT_EQUAL(EEXIST, out.error().sysErrno);
    // A path that appears between create() and commit() is not replaced either.
    auto late = OutputFile::create(path("late"), false);
    CPPUNIT_ASSERT(late.ok());
    write(path("late"), "theirs");
    rkt::Status committed = late->commit();
    CPPUNIT_ASSERT(!committed.ok());
    CPPUNIT_ASSERT_EQUAL(EEXIST, committed.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL(std::string("theirs"), read(path("late")));
    CPPUNIT_ASSERT_EQUAL(-1, ::access(path("nowhere").c_str(), F_OK));
  }

  void fileReplacesASymlinkNotItsTarget() {
    write(path("victim"), "precious");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(path("victim").c_str(), path("out.aci").c_str()));
    auto out = OutputFile::create(path("out.aci"), true);
    CPPUNIT_ASSERT(out.ok());
    writeFd(out->fd(), "new");
    CPPUNIT_ASSERT(out->commit().ok());
    CPPUNIT_ASSERT(!isSymlink(path("out.aci")));
    CPPUNIT_ASSERT_EQUAL(std::string("new"), read(path("out.aci")));
    CPPUNIT_ASSERT_EQUAL(std::string("precious"), read(path("victim")));
  }

  void fileRefusesToReplaceADirectory() {
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(path("d").c_str(), 0755));
    auto out = OutputFile::create(path("d"), true);
    CPPUNIT_ASSERT(!out.ok());
    CPPUNIT_ASSERT_EQUAL(EISDIR, out.error().sysErrno);
  }

  void fileNotCommittedLeavesNothing() {
    write(path("out.aci"), "old");
    {
      auto out = OutputFile::create(path("out.aci"), true);
      CPPUNIT_ASSERT(out.ok());
      writeFd(out->fd(), "half");
    }
    CPPUNIT_ASSERT_EQUAL(std::string("old"), read(path("out.aci")));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, entries());
  }

  void dirIsCreatedOnCommit() {
    auto out = OutputDir::create(path("tree"), false);
    CPPUNIT_ASSERT(out.ok());
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(out->buildPath().c_str(), 0755));
    write(out->buildPath() + "/file", "new");
    CPPUNIT_ASSERT(out->commit().ok());
    CPPUNIT_ASSERT_EQUAL(std::string("new"), read(path("tree/file")));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, entries());
  }

  void dirReplacesTheOldOutputOnlyOnCommit() {
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(path("tree").c_str(), 0755));
    write(path("tree/old"), "old");
    {
      auto failed = OutputDir::create(path("tree"), true);
      CPPUNIT_ASSERT(failed.ok());
      CPPUNIT_ASSERT_EQUAL(0, ::mkdir(failed->buildPath().c_str(), 0755));
      write(failed->buildPath() + "/half", "half");
    }  // not committed: as if the command failed
    CPPUNIT_ASSERT_EQUAL(std::string("old"), read(path("tree/old")));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, entries());

    auto out = OutputDir::create(path("tree"), true);
    CPPUNIT_ASSERT(out.ok());
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(out->buildPath().c_str(), 0755));
    write(out->buildPath() + "/new", "new");
    CPPUNIT_ASSERT(out->commit().ok());
    CPPUNIT_ASSERT_EQUAL(std::string("new"), read(path("tree/new")));
    CPPUNIT_ASSERT_EQUAL(-1, ::access(path("tree/old").c_str(), F_OK));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, entries());
  }

  void dirReplacesASymlinkNotItsTarget() {
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(path("victim").c_str(), 0755));
    write(path("victim/file"), "precious");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(path("victim").c_str(), path("tree").c_str()));
    auto out = OutputDir::create(path("tree"), true);
    CPPUNIT_ASSERT(out.ok());
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(out->buildPath().c_str(), 0755));
    CPPUNIT_ASSERT(out->commit().ok());
    CPPUNIT_ASSERT(!isSymlink(path("tree")));
    CPPUNIT_ASSERT_EQUAL(std::string("precious"), read(path("victim/file")));
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, entries());
  }

  void dirRefusesAPathThatAppearedMeanwhile() {
    auto out = OutputDir::create(path("tree"), false);
    CPPUNIT_ASSERT(out.ok());
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(out->buildPath().c_str(), 0755));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(path("victim").c_str(), path("tree").c_str()));
    rkt::Status committed = out->commit();
    CPPUNIT_ASSERT(!committed.ok());
    CPPUNIT_ASSERT_EQUAL(EEXIST, committed.error().sysErrno);
    CPPUNIT_ASSERT(isSymlink(path("tree")));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutputPathTest);
