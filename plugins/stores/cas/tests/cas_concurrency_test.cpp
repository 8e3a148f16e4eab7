// Many processes using one store at once: publish (same and different keys), list, resolve,
// remove, remote upserts. Afterwards the index and the files must agree, and no process may have
// seen any error (in particular no "database is locked").
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <set>

#include "cas_test_util.hpp"

namespace rkt::cas::test {
namespace {

constexpr int kProcesses = 8;
constexpr int kRounds = 6;
constexpr int kShared = 4;
constexpr int kContested = 2;

std::string sharedContent(int s) {
  return "shared image " + std::to_string(s);
}
std::string ownContent(int c, int r) {
  return "image of " + std::to_string(c) + "/" + std::to_string(r);
}
std::string ephemeralContent(int c, int r) {
  return "ephemeral " + std::to_string(c) + "/" + std::to_string(r);
}
std::string contestedContent(int x) {
  return "contested " + std::to_string(x);
}
std::string ownUrl(int c, int r) {
  return "https://example.com/p" + std::to_string(c) + "/" + std::to_string(r) + ".aci";
}
std::string ephemeralUrl(int c, int r) {
  return "https://example.com/e" + std::to_string(c) + "/" + std::to_string(r) + ".aci";
}

void report(int fd, const std::string& msg) {
  std::string line = msg.substr(0, 400) + "\n";
  (void)!::write(fd, line.data(), line.size());
}

// One worker process. Every store operation error is reported and fails the worker.
int worker(const std::string& cas, int c, int out) {
  try {
    for (int r = 0; r < kRounds; ++r) {
      CasStore store(cas);  // opens race with each other, the first ones with schema creation
      for (int s = 0; s < kShared; ++s) {
        int i = (s + c) % kShared;  // different processes start with different shared keys
        publishContent(store, sharedContent(i),
                       manifestJson("example.com/shared", {{"version", std::to_string(i)}}),
                       i == 0);
      }
      std::string own = publishContent(
          store, ownContent(c, r),
          manifestJson("example.com/p" + std::to_string(c), {{"version", std::to_string(r)}}));
      store.upsertRemote(
          {ownUrl(c, r), "", "\"" + std::to_string(r) + "\"", own, 60, Clock::now()});

      std::string eph =
          publishContent(store, ephemeralContent(c, r), manifestJson("example.com/e"));
      store.upsertRemote({ephemeralUrl(c, r), "", "", eph, 0, Clock::now()});
      store.list();
      store.remove(eph);

      std::string contested = publishContent(store, contestedContent((c + r) % kContested),
                                             manifestJson("example.com/contested"));
      try {
        store.remove(contested);
      } catch (const Error& e) {
        if (e.code() != RKT_E_NOT_FOUND) {
          throw;  // removed by another process first is fine, anything else is not
        }
      }
      if (store.resolveKey(own.substr(0, 24)) != own) {
        report(out, "worker " + std::to_string(c) + ": resolveKey returned another image");
        return 1;
      }
      store.getACI("example.com/shared");
      store.touchLastUsed(own);
      for (const auto& image : store.list()) {
        if (image.name.empty()) {
          report(out, "worker " + std::to_string(c) + ": listed an image without name");
          return 1;
        }
      }
    }
    return 0;
  } catch (const std::exception& e) {
    report(out, "worker " + std::to_string(c) + ": " + e.what());
    return 1;
  }
}

std::set<std::string> keysUnder(const std::string& base) {
  std::set<std::string> keys;
  for (const auto& shard : entries(base + "/sha512")) {
    for (const auto& key : entries(base + "/sha512/" + shard)) {
      keys.insert(key);
    }
  }
  return keys;
}

}  // namespace

}  // namespace rkt::cas::test

using namespace rkt::cas;
using namespace rkt::cas::test;

class CasConcurrencyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CasConcurrencyTest);
  CPPUNIT_TEST(manyProcessesPublishListAndRemove);
  CPPUNIT_TEST_SUITE_END();

 public:
  void manyProcessesPublishListAndRemove() {
    ScratchDir dir;
    const std::string cas = dir.cas();
    int msgs[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe(msgs));
    std::vector<pid_t> pids;
    for (int c = 0; c < kProcesses; ++c) {
      pid_t pid = ::fork();
      CPPUNIT_ASSERT(pid >= 0);
      if (pid == 0) {
        ::close(msgs[0]);
        ::_exit(worker(cas, c, msgs[1]));
      }
      pids.push_back(pid);
    }
    ::close(msgs[1]);
    std::string messages;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(msgs[0], buf, sizeof buf)) > 0) {
      messages.append(buf, static_cast<size_t>(n));
    }
    ::close(msgs[0]);
    int failed = 0;
    for (pid_t pid : pids) {
      int status = 0;
      CPPUNIT_ASSERT_EQUAL(pid, ::waitpid(pid, &status, 0));
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ++failed;
      }
    }
    CPPUNIT_ASSERT_MESSAGE(messages, messages.find("locked") == std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(messages, messages.empty());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(messages, 0, failed);

    // Every row exactly once, as expected.
    CasStore store(cas);
    std::map<std::string, int> seen;
    for (const auto& image : store.list()) {
      ++seen[image.key];
    }
    for (const auto& [key, count] : seen) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(key, 1, count);
    }
    std::set<std::string> expected;
    for (int s = 0; s < kShared; ++s) {
      expected.insert(keyOf(sharedContent(s)));
    }
    for (int c = 0; c < kProcesses; ++c) {
      for (int r = 0; r < kRounds; ++r) {
        std::string own = keyOf(ownContent(c, r));
        expected.insert(own);
        auto remote = store.getRemote(ownUrl(c, r));
        CPPUNIT_ASSERT_MESSAGE(ownUrl(c, r), remote && remote->blobKey == own);
        CPPUNIT_ASSERT(!store.info(keyOf(ephemeralContent(c, r))));
        CPPUNIT_ASSERT(!store.getRemote(ephemeralUrl(c, r)));
        CPPUNIT_ASSERT_EQUAL(ownContent(c, r), slurp(store.blobPath(own)));
      }
    }
    std::set<std::string> rows;
    for (const auto& [key, count] : seen) {
      rows.insert(key);
    }
    std::set<std::string> withoutContested = rows;
    for (int x = 0; x < kContested; ++x) {
      withoutContested.erase(keyOf(contestedContent(x)));
    }
    CPPUNIT_ASSERT(expected == withoutContested);
    // Shared images were published by everyone; latest stays with the one published as latest.
    CPPUNIT_ASSERT_EQUAL(keyOf(sharedContent(0)), store.getACI("example.com/shared"));

    // The files match the rows exactly (contested images included, whichever way they ended).
    CPPUNIT_ASSERT(rows == keysUnder(cas + "/blob"));
    CPPUNIT_ASSERT(rows == keysUnder(cas + "/imageManifest"));
    for (const auto& name : entries(cas + "/tmp")) {
      CPPUNIT_FAIL("left in tmp/: " + name);
    }
    // And the database itself agrees (one row per key, no dangling remote rows).
    SQLite::Database db(cas + "/db/store.sqlite", SQLite::OPEN_READONLY);
    CPPUNIT_ASSERT_EQUAL(static_cast<int>(rows.size()),
                         db.execAndGet("SELECT count(*) FROM aciinfo").getInt());
    CPPUNIT_ASSERT_EQUAL(0, db.execAndGet("SELECT count(*) FROM remote WHERE blobkey NOT IN "
                                          "(SELECT blobkey FROM aciinfo)")
                                .getInt());
    CPPUNIT_ASSERT_EQUAL(kProcesses * kRounds,
                         db.execAndGet("SELECT count(*) FROM remote").getInt());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CasConcurrencyTest);
