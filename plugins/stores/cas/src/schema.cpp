#include "schema.hpp"

#include <SQLiteCpp/Statement.h>
#include <dirent.h>
#include <sys/stat.h>

#include <string>

#include "errors.hpp"
#include "fs_util.hpp"
#include "image_key.hpp"
#include "manifest_info.hpp"

namespace rkt::cas {
namespace {

std::vector<std::string> listDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return names;
  }
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") {
      names.push_back(std::move(name));
    }
  }
  ::closedir(d);
  return names;
}

int64_t nanosOf(const struct timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// rkt v5: lastusedtime -> lastused, plus the size columns. Sizes of existing images are read
// from their blobs, as rkt did.
void migrateTo5(SQLite::Database& db, const CasLayout& layout) {
  db.exec("ALTER TABLE aciinfo RENAME COLUMN lastusedtime TO lastused");
  db.exec("ALTER TABLE aciinfo ADD COLUMN size INTEGER DEFAULT 0");
  db.exec("ALTER TABLE aciinfo ADD COLUMN treestoresize INTEGER DEFAULT 0");
  std::vector<std::string> keys;
  SQLite::Statement select(db, "SELECT blobkey FROM aciinfo");
  while (select.executeStep()) {
    keys.push_back(select.getColumn(0).getString());
  }
  SQLite::Statement update(db, "UPDATE aciinfo SET size = ? WHERE blobkey = ?");
  for (const auto& key : keys) {
    struct stat st {};
    if (!isImageKey(key) || ::stat(layout.blobPath(key).c_str(), &st) != 0) {
      continue;  // a row without a blob keeps size 0, as in rkt
    }
    update.bind(1, static_cast<int64_t>(st.st_size));
    update.bind(2, key);
    update.exec();
    update.reset();
  }
}

// rkt v6 added insecureoptions; v7 removed it again. Both kept so a v5/v6 index upgrades.
void migrateTo6(SQLite::Database& db, const CasLayout&) {
  db.exec("ALTER TABLE aciinfo ADD COLUMN insecureoptions INTEGER DEFAULT 0");
}

void migrateTo7(SQLite::Database& db, const CasLayout&) {
  db.exec("ALTER TABLE aciinfo DROP COLUMN insecureoptions");
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {5, "rename lastusedtime to lastused, add size and treestoresize", &migrateTo5},
      {6, "add insecureoptions", &migrateTo6},
      {7, "drop insecureoptions", &migrateTo7},
  };
  return kMigrations;
}

bool hasSchema(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, "version");
  q.executeStep();
  return q.getColumn(0).getInt() > 0;
}

int readSchemaVersion(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT version FROM version");
  int rows = 0;
  int version = 0;
  while (q.executeStep()) {
    version = q.getColumn(0).getInt();
    ++rows;
  }
  if (rows != 1) {
    throw Error(RKT_E_INVALID, "image store database has " + std::to_string(rows) +
                                   " rows in table `version`, want 1");
  }
  return version;
}

void createSchema(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE version (version INTEGER);"
      "CREATE TABLE remote (aciurl TEXT, sigurl TEXT, etag TEXT, blobkey TEXT,"
      "                     cachemaxage INTEGER, downloadtime INTEGER);"
      "CREATE UNIQUE INDEX aciurlidx ON remote (aciurl);"
      "CREATE TABLE aciinfo (blobkey TEXT, name TEXT, importtime INTEGER, lastused INTEGER,"
      "                      latest INTEGER, size INTEGER DEFAULT 0,"
      "                      treestoresize INTEGER DEFAULT 0);"
      "CREATE UNIQUE INDEX blobkeyidx ON aciinfo (blobkey);"
      "CREATE INDEX nameidx ON aciinfo (name);");
  SQLite::Statement insert(db, "INSERT INTO version (version) VALUES (?)");
  insert.bind(1, kSchemaVersion);
  insert.exec();
}

void upsertAciInfo(SQLite::Database& db, const std::string& key, const std::string& name,
                   int64_t now, bool latest, int64_t size) {
  SQLite::Statement upsert(
      db,
      "INSERT INTO aciinfo (blobkey, name, importtime, lastused, latest, size, treestoresize) "
      "VALUES (?, ?, ?, ?, ?, ?, 0) "
      "ON CONFLICT (blobkey) DO UPDATE SET name = excluded.name, "
      "importtime = excluded.importtime, lastused = excluded.lastused, "
      "latest = excluded.latest, size = excluded.size");
  upsert.bind(1, key);
  upsert.bind(2, name);
  upsert.bind(3, now);
  upsert.bind(4, now);
  upsert.bind(5, latest ? 1 : 0);
  upsert.bind(6, size);
  upsert.exec();
}

bool hasLayerTables(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                      "name IN ('layer', 'imagelayer')");
  return q.executeStep() && q.getColumn(0).getInt() == 2;
}

void createLayerTables(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS layer (digest TEXT PRIMARY KEY, size INTEGER DEFAULT 0,"
      "                                  importtime INTEGER);"
      "CREATE TABLE IF NOT EXISTS imagelayer (blobkey TEXT, position INTEGER, digest TEXT,"
      "                                       PRIMARY KEY (blobkey, position));"
      "CREATE INDEX IF NOT EXISTS imagelayerdigestidx ON imagelayer (digest);");
}

void migrateSchema(SQLite::Database& db, const CasLayout& layout, int from) {
  if (from < kOldestMigratableVersion) {
    throw Error(RKT_E_UNSUPPORTED, "image store database schema version " + std::to_string(from) +
                                       " is too old to migrate (oldest: " +
                                       std::to_string(kOldestMigratableVersion) + ")");
  }
  int version = from;
  for (const auto& m : migrations()) {
    if (m.toVersion <= version) {
      continue;
    }
    m.apply(db, layout);
    version = m.toVersion;
  }
  SQLite::Statement update(db, "UPDATE version SET version = ?");
  update.bind(1, version);
  update.exec();
}

size_t adoptUnindexedBlobs(SQLite::Database& db, const CasLayout& layout) {
  SQLite::Statement exists(db, "SELECT count(*) FROM aciinfo WHERE blobkey = ?");
  SQLite::Statement insert(db,
                           "INSERT INTO aciinfo (blobkey, name, importtime, lastused, latest, "
                           "size, treestoresize) VALUES (?, ?, ?, ?, 0, ?, 0)");
  size_t added = 0;
  std::string shards = layout.blobDir() + "/sha512";
  for (const auto& shard : listDir(shards)) {
    for (const auto& key : listDir(shards + "/" + shard)) {
      struct stat st {};
      if (!isImageKey(key) || key.compare(kKeyPrefix.size(), 2, shard) != 0 ||
          ::stat(layout.blobPath(key).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        continue;
      }
      ManifestInfo manifest;
      try {
        manifest = parseManifest(readFile(layout.manifestPath(key)));
      } catch (const Error&) {
        continue;  // without a manifest the image cannot be named; leave the file alone
      }
      exists.bind(1, key);
      exists.executeStep();
      bool indexed = exists.getColumn(0).getInt() > 0;
      exists.reset();
      if (indexed) {
        continue;
      }
      int64_t mtime = nanosOf(st.st_mtim);
      insert.bind(1, key);
      insert.bind(2, manifest.name);
      insert.bind(3, mtime);
      insert.bind(4, mtime);
      insert.bind(5, static_cast<int64_t>(st.st_size));
      insert.exec();
      insert.reset();
      ++added;
    }
  }
  return added;
}

}  // namespace rkt::cas
