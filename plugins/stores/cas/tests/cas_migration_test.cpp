// The index schema: creation, migration from older versions with backups, refusal of newer
// versions, and indexing of images found on disk (e.g. a data directory left by rkt).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <cppunit/extensions/HelperMacros.h>

#include "cas_test_util.hpp"

namespace rkt::cas::test {
namespace {

std::string dbPath(const ScratchDir& dir) {
  return dir.cas() + "/db/store.sqlite";
}

int versionOf(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT version FROM version").getInt();
}

std::vector<std::string> columnsOf(SQLite::Database& db, const std::string& table) {
  std::vector<std::string> cols;
  SQLite::Statement q(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  q.bind(1, table);
  while (q.executeStep()) {
    cols.push_back(q.getColumn(0).getString());
  }
  return cols;
}

bool hasColumn(SQLite::Database& db, const std::string& table, const std::string& col) {
  auto cols = columnsOf(db, table);
  return std::find(cols.begin(), cols.end(), col) != cols.end();
}

// rkt's schema as of version 4 (before lastused was renamed and the sizes were added).
void createVersion4(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(
      "CREATE TABLE version (version INTEGER);"
      "INSERT INTO version VALUES (4);"
      "CREATE TABLE remote (aciurl TEXT, sigurl TEXT, etag TEXT, blobkey TEXT,"
      "                     cachemaxage INTEGER, downloadtime INTEGER);"
      "CREATE UNIQUE INDEX aciurlidx ON remote (aciurl);"
      "CREATE TABLE aciinfo (blobkey TEXT, name TEXT, importtime INTEGER, latest INTEGER,"
      "                      lastusedtime INTEGER);"
      "CREATE UNIQUE INDEX blobkeyidx ON aciinfo (blobkey);"
      "CREATE INDEX nameidx ON aciinfo (name);");
}

}  // namespace

}  // namespace rkt::cas::test

using namespace rkt::cas;
using namespace rkt::cas::test;

class CasMigrationTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CasMigrationTest);
  CPPUNIT_TEST(freshStoreHasRktSchema);
  CPPUNIT_TEST(migratesFromVersion4);
  CPPUNIT_TEST(migratesFromVersion6);
  CPPUNIT_TEST(keepsLastFiveBackups);
  CPPUNIT_TEST(refusesNewerVersion);
  CPPUNIT_TEST(refusesTooOldVersion);
  CPPUNIT_TEST(indexesImagesLeftByRkt);
  CPPUNIT_TEST_SUITE_END();

 public:
  void freshStoreHasRktSchema() {
    ScratchDir dir;
    { CasStore store(dir.cas()); }
    SQLite::Database db(dbPath(dir), SQLite::OPEN_READONLY);
    CPPUNIT_ASSERT_EQUAL(7, db.execAndGet("SELECT version FROM version").getInt());
    CPPUNIT_ASSERT_EQUAL(1, db.execAndGet("SELECT count(*) FROM version").getInt());
    std::vector<std::string> aciinfo{"blobkey", "name", "importtime",   "lastused",
                                     "latest",  "size", "treestoresize"};
    CPPUNIT_ASSERT(aciinfo == columnsOf(db, "aciinfo"));
    std::vector<std::string> remote{"aciurl",  "sigurl",      "etag",
                                    "blobkey", "cachemaxage", "downloadtime"};
    CPPUNIT_ASSERT(remote == columnsOf(db, "remote"));
    auto indexSql = [&](const char* name) {
      SQLite::Statement q(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?");
      q.bind(1, name);
      return q.executeStep() ? q.getColumn(0).getString() : std::string();
    };
    CPPUNIT_ASSERT(indexSql("blobkeyidx").find("UNIQUE INDEX blobkeyidx ON aciinfo (blobkey)") !=
                   std::string::npos);
    CPPUNIT_ASSERT(indexSql("aciurlidx").find("UNIQUE INDEX aciurlidx ON remote (aciurl)") !=
                   std::string::npos);
    CPPUNIT_ASSERT(indexSql("nameidx").find("INDEX nameidx ON aciinfo (name)") !=
                   std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("wal"), db.execAndGet("PRAGMA journal_mode").getString());
  }

  void migratesFromVersion4() {
    ScratchDir dir;
    { CasStore store(dir.cas()); }  // the layout
    std::filesystem::remove(dbPath(dir));
    createVersion4(dbPath(dir));
    // One image whose blob exists (its size gets filled in) and one row without a blob.
    const std::string content = "migrated image";
    const std::string withBlob = keyOf(content);
    const std::string noBlob = keyOf("no blob");
    std::filesystem::create_directories(dir.cas() + "/blob/sha512/" + withBlob.substr(7, 2));
    writeFile(dir.cas() + "/blob/sha512/" + withBlob.substr(7, 2) + "/" + withBlob, content);
    {
      SQLite::Database db(dbPath(dir), SQLite::OPEN_READWRITE);
      SQLite::Statement ins(db, "INSERT INTO aciinfo VALUES (?, 'example.com/old', 1000, 1, 2000)");
      ins.bind(1, withBlob);
      ins.exec();
      ins.reset();
      ins.bind(1, noBlob);
      ins.exec();
      db.exec("INSERT INTO remote VALUES ('https://example.com/old.aci', '', 'e', '" + withBlob +
              "', 30, 3000)");
    }

    CasStore store(dir.cas());
    CPPUNIT_ASSERT_EQUAL(7, versionOf(dbPath(dir)));
    auto info = store.info(withBlob);
    CPPUNIT_ASSERT(info);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/old"), info->name);
    CPPUNIT_ASSERT(info->importTime == TimePoint(std::chrono::nanoseconds(1000)));
    CPPUNIT_ASSERT(info->lastUsed == TimePoint(std::chrono::nanoseconds(2000)));
    CPPUNIT_ASSERT(info->latest);
    CPPUNIT_ASSERT_EQUAL(static_cast<int64_t>(content.size()), info->size);
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store.info(noBlob)->size);
    auto remote = store.getRemote("https://example.com/old.aci");
    CPPUNIT_ASSERT(remote && remote->blobKey == withBlob && remote->cacheMaxAge == 30);
    {
      SQLite::Database db(dbPath(dir), SQLite::OPEN_READONLY);
      CPPUNIT_ASSERT(!hasColumn(db, "aciinfo", "lastusedtime"));
      CPPUNIT_ASSERT(!hasColumn(db, "aciinfo", "insecureoptions"));
      CPPUNIT_ASSERT(hasColumn(db, "aciinfo", "treestoresize"));
    }
    // The backup holds the database as it was before the migration.
    CPPUNIT_ASSERT_EQUAL(4, versionOf(dir.cas() + "/db-backups/0/store.sqlite"));
    CPPUNIT_ASSERT_EQUAL(0750, modeOf(dir.cas() + "/db-backups"));
    // And the migrated store works.
    store.touchLastUsed(withBlob);
    publishContent(store, "new image", manifestJson("example.com/new"));
    // Only the row nobody used since the migration is old enough for gc.
    CPPUNIT_ASSERT(std::vector<std::string>{noBlob} ==
                   store.gcCandidates(std::chrono::hours(1), {}));
  }

  void migratesFromVersion6() {
    ScratchDir dir;
    std::string key;
    {
      CasStore store(dir.cas());
      key = publishContent(store, "six", manifestJson("example.com/six"));
    }
    {
      SQLite::Database db(dbPath(dir), SQLite::OPEN_READWRITE);
      db.exec(
          "ALTER TABLE aciinfo ADD COLUMN insecureoptions INTEGER DEFAULT 0;"
          "UPDATE version SET version = 6");
    }
    CasStore store(dir.cas());
    CPPUNIT_ASSERT_EQUAL(7, versionOf(dbPath(dir)));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/six"), store.info(key)->name);
    SQLite::Database db(dbPath(dir), SQLite::OPEN_READONLY);
    CPPUNIT_ASSERT(!hasColumn(db, "aciinfo", "insecureoptions"));
  }

  void keepsLastFiveBackups() {
    ScratchDir dir;
    { CasStore store(dir.cas()); }
    for (int round = 0; round < 7; ++round) {
      {
        SQLite::Database db(dbPath(dir), SQLite::OPEN_READWRITE);
        // user_version marks which round's database each backup holds.
        db.exec(
            "ALTER TABLE aciinfo ADD COLUMN insecureoptions INTEGER DEFAULT 0;"
            "UPDATE version SET version = 6; PRAGMA user_version = " +
            std::to_string(round));
      }
      CasStore store(dir.cas());
      CPPUNIT_ASSERT_EQUAL(7, versionOf(dbPath(dir)));
    }
    auto backups = entries(dir.cas() + "/db-backups");
    std::sort(backups.begin(), backups.end());
    CPPUNIT_ASSERT(backups == std::vector<std::string>({"0", "1", "2", "3", "4"}));
    for (int i = 0; i < 5; ++i) {
      SQLite::Database db(dir.cas() + "/db-backups/" + std::to_string(i) + "/store.sqlite",
                          SQLite::OPEN_READONLY);
      CPPUNIT_ASSERT_EQUAL(6 - i, db.execAndGet("PRAGMA user_version").getInt());  // 0 = newest
      CPPUNIT_ASSERT_EQUAL(6, db.execAndGet("SELECT version FROM version").getInt());
    }
  }

  void refusesNewerVersion() {
    ScratchDir dir;
    { CasStore store(dir.cas()); }
    {
      SQLite::Database db(dbPath(dir), SQLite::OPEN_READWRITE);
      db.exec("UPDATE version SET version = 8");
    }
    try {
      CasStore store(dir.cas());
      CPPUNIT_FAIL("a newer schema must be refused");
    } catch (const Error& e) {
      CPPUNIT_ASSERT_EQUAL(static_cast<int>(RKT_E_UNSUPPORTED), static_cast<int>(e.code()));
      CPPUNIT_ASSERT_MESSAGE(
          e.what(), std::string(e.what()).find("schema version 8, newer") != std::string::npos);
    }
    CPPUNIT_ASSERT_EQUAL(8, versionOf(dbPath(dir)));  // untouched
    CPPUNIT_ASSERT(!exists(dir.cas() + "/db-backups"));
  }

  void refusesTooOldVersion() {
    ScratchDir dir;
    { CasStore store(dir.cas()); }
    {
      SQLite::Database db(dbPath(dir), SQLite::OPEN_READWRITE);
      db.exec("UPDATE version SET version = 3");
    }
    CPPUNIT_ASSERT_THROW(CasStore store(dir.cas()), Error);
    CPPUNIT_ASSERT_EQUAL(3, versionOf(dbPath(dir)));
  }

  void indexesImagesLeftByRkt() {
    // A data directory written by rkt: diskv blob + manifest files and a ql.db we cannot read.
    ScratchDir dir;
    const std::string content = "image fetched by rkt";
    const std::string key = keyOf(content);
    const std::string hh = key.substr(7, 2);
    std::filesystem::create_directories(dir.cas() + "/blob/sha512/" + hh);
    std::filesystem::create_directories(dir.cas() + "/imageManifest/sha512/" + hh);
    std::filesystem::create_directories(dir.cas() + "/db");
    writeFile(dir.cas() + "/blob/sha512/" + hh + "/" + key, content);
    writeFile(dir.cas() + "/imageManifest/sha512/" + hh + "/" + key,
              manifestJson("coreos.com/etcd", {{"version", "v3.1.0"}}));
    // A blob without a manifest cannot be named; it is left alone.
    const std::string orphan = keyOf("orphan");
    std::filesystem::create_directories(dir.cas() + "/blob/sha512/" + orphan.substr(7, 2));
    writeFile(dir.cas() + "/blob/sha512/" + orphan.substr(7, 2) + "/" + orphan, "orphan");
    writeFile(dir.cas() + "/db/ql.db", "ql data");

    CasStore store(dir.cas());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, store.imagesAdopted());
    auto images = store.list();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, images.size());
    CPPUNIT_ASSERT_EQUAL(key, images[0].key);
    CPPUNIT_ASSERT_EQUAL(std::string("coreos.com/etcd"), images[0].name);
    CPPUNIT_ASSERT_EQUAL(std::string("v3.1.0"), images[0].version);
    CPPUNIT_ASSERT_EQUAL(static_cast<int64_t>(content.size()), images[0].size);
    CPPUNIT_ASSERT_EQUAL(key, store.getACI("coreos.com/etcd"));
    CPPUNIT_ASSERT_EQUAL(std::string("ql data"), slurp(dir.cas() + "/db/ql.db"));
    CPPUNIT_ASSERT(exists(dir.cas() + "/blob/sha512/" + orphan.substr(7, 2) + "/" + orphan));
    // Only a fresh index adopts: a second open changes nothing.
    CasStore again(dir.cas());
    CPPUNIT_ASSERT_EQUAL(size_t{0}, again.imagesAdopted());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CasMigrationTest);
