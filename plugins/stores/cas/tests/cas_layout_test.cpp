// The cas store's on-disk layout: rkt's directories and modes, file modes, temp file sweep.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cas_test_util.hpp"

using namespace rkt::cas;
using namespace rkt::cas::test;

class CasLayoutTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CasLayoutTest);
  CPPUNIT_TEST(createsRktDirectoriesWithModes);
  CPPUNIT_TEST(keepsModesOfExistingDirectories);
  CPPUNIT_TEST(publishedFilesHaveRktPathsAndModes);
  CPPUNIT_TEST(removesOnlyUnlockedStaleTempFiles);
  CPPUNIT_TEST(tempFileRemovedWhenNotCommitted);
  CPPUNIT_TEST(keyLockRetriesWhenLockFileRemoved);
  CPPUNIT_TEST(storeDirectoryIsSharedLockedWhileOpen);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { oldUmask_ = ::umask(077); }  // modes must not depend on the umask
  void tearDown() override { ::umask(oldUmask_); }

  void createsRktDirectoriesWithModes() {
    ScratchDir dir;
    CasStore store(dir.cas());
    const std::string cas = dir.cas();
    CPPUNIT_ASSERT_EQUAL(02750, modeOf(dir.path() + "/data"));
    CPPUNIT_ASSERT_EQUAL(02770, modeOf(cas));
    for (const char* sub : {"blob", "blob/sha512", "imageManifest", "imageManifest/sha512",
                            "imagelocks", "tmp", "db"}) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(sub, 02770, modeOf(cas + "/" + sub));
    }
    CPPUNIT_ASSERT_EQUAL(02700, modeOf(cas + "/tree"));
    CPPUNIT_ASSERT_EQUAL(02700, modeOf(cas + "/treestorelocks"));
    CPPUNIT_ASSERT_EQUAL(0660, modeOf(cas + "/db/store.sqlite"));
    CPPUNIT_ASSERT(!exists(cas + "/db-backups"));  // only made by a migration
    CPPUNIT_ASSERT_EQUAL(cas + "/tree/deps-sha512-" + std::string(64, 'a'),
                         store.treePath("deps-sha512-" + std::string(64, 'a')));
    CPPUNIT_ASSERT_THROW(store.treePath("../../etc"), Error);
  }

  void keepsModesOfExistingDirectories() {
    ScratchDir dir;
    std::filesystem::create_directories(dir.cas() + "/tmp");
    ::chmod(dir.cas().c_str(), 0755);
    { CasStore store(dir.cas()); }
    CPPUNIT_ASSERT_EQUAL(0755, modeOf(dir.cas()));
    CPPUNIT_ASSERT_EQUAL(02770, modeOf(dir.cas() + "/imagelocks"));
  }

  void publishedFilesHaveRktPathsAndModes() {
    ScratchDir dir;
    CasStore store(dir.cas());
    const std::string content = "layout image";
    std::string key = publishContent(store, content, manifestJson("example.com/layout"));
    std::string hh = key.substr(7, 2);
    std::string blob = dir.cas() + "/blob/sha512/" + hh + "/" + key;
    std::string manifest = dir.cas() + "/imageManifest/sha512/" + hh + "/" + key;
    CPPUNIT_ASSERT_EQUAL(blob, store.blobPath(key));
    CPPUNIT_ASSERT_EQUAL(content, slurp(blob));
    CPPUNIT_ASSERT_EQUAL(manifestJson("example.com/layout"), slurp(manifest));
    CPPUNIT_ASSERT_EQUAL(0660, modeOf(blob));
    CPPUNIT_ASSERT_EQUAL(0660, modeOf(manifest));
    CPPUNIT_ASSERT_EQUAL(02770, modeOf(dir.cas() + "/blob/sha512/" + hh));
    CPPUNIT_ASSERT_EQUAL(02770, modeOf(dir.cas() + "/imageManifest/sha512/" + hh));
    CPPUNIT_ASSERT_EQUAL(0660, modeOf(dir.cas() + "/imagelocks/" + key));
    // Nothing of the import is left in tmp/.
    CPPUNIT_ASSERT(entries(dir.cas() + "/tmp").empty());
  }

  void removesOnlyUnlockedStaleTempFiles() {
    ScratchDir dir;
    std::string tmp = dir.cas() + "/tmp";
    {
      CasStore store(dir.cas());
      writeFile(tmp + "/cas-tmp-test-killed", "left by a killed import");
      writeFile(tmp + "/sha512-0123", "a partial download, resumable");
      writeFile(tmp + "/sha512-0123.etag", "\"etag\"");
    }
    CasStore first(dir.cas());
    TempFile busy = first.createTempFile("test");
    writeFile(busy.path(), "still being written");

    CasStore second(dir.cas());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, first.staleTempFilesRemoved());  // the killed import
    CPPUNIT_ASSERT_EQUAL(size_t{0}, second.staleTempFilesRemoved());
    CPPUNIT_ASSERT(!exists(tmp + "/cas-tmp-test-killed"));
    CPPUNIT_ASSERT(exists(busy.path()));
    CPPUNIT_ASSERT(exists(tmp + "/sha512-0123"));
    CPPUNIT_ASSERT(exists(tmp + "/sha512-0123.etag"));
  }

  void tempFileRemovedWhenNotCommitted() {
    ScratchDir dir;
    CasStore store(dir.cas());
    std::string path;
    {
      TempFile t = store.createTempFile("test");
      path = t.path();
      CPPUNIT_ASSERT(exists(path));
      CPPUNIT_ASSERT_EQUAL(0660, modeOf(path));
      TempFile moved = std::move(t);
      CPPUNIT_ASSERT(exists(path));
    }
    CPPUNIT_ASSERT(!exists(path));
  }

  void keyLockRetriesWhenLockFileRemoved() {
    ScratchDir dir;
    const std::string key = keyOf("locked");
    const std::string lockPath = dir.cas() + "/imagelocks/" + key;
    // Fork before any lock exists: a child would otherwise share the parent's lock.
    int go[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe(go));
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(go[1]);
      int code = 1;
      try {
        char c = 0;
        if (::read(go[0], &c, 1) == 1) {
          CasStore child(dir.cas());
          FileLock got = child.lockImage(key, LockMode::kShared);
          // It must hold its lock on the file that exists now, not on the removed one: then
          // nobody can lock that file exclusively.
          code =
              (exists(lockPath) && !FileLock::tryLockPath(lockPath, LockMode::kExclusive)) ? 0 : 2;
        }
      } catch (...) {
        code = 3;
      }
      ::_exit(code);
    }
    ::close(go[0]);
    int status = 0;
    {
      CasStore store(dir.cas());
      FileLock holder = store.lockImage(key, LockMode::kExclusive);
      char c = 'g';
      CPPUNIT_ASSERT_EQUAL(ssize_t{1}, ::write(go[1], &c, 1));
      ::close(go[1]);
      ::usleep(300000);  // let the child block in flock on the file we are about to remove
      holder.unlinkKeyFile();
    }
    CPPUNIT_ASSERT_EQUAL(pid, ::waitpid(pid, &status, 0));
    CPPUNIT_ASSERT(WIFEXITED(status));
    CPPUNIT_ASSERT_EQUAL(0, WEXITSTATUS(status));
  }

  void storeDirectoryIsSharedLockedWhileOpen() {
    ScratchDir dir;
    auto store = std::make_unique<CasStore>(dir.cas());
    CPPUNIT_ASSERT(!FileLock::tryLockPath(dir.cas(), LockMode::kExclusive));
    CPPUNIT_ASSERT(FileLock::tryLockPath(dir.cas(), LockMode::kShared));
    store.reset();
    CPPUNIT_ASSERT(FileLock::tryLockPath(dir.cas(), LockMode::kExclusive));
  }

 private:
  mode_t oldUmask_ = 022;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CasLayoutTest);
