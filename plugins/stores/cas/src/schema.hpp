// The index schema and its migrations.
//
// Tables and indexes are rkt's (store/imagestore/schema.go, dbVersion 7) in SQLite types; times
// are INTEGER nanoseconds since the Unix epoch (UTC), booleans INTEGER 0/1:
//
//   version (version)                                   -- one row: the schema version
//   remote  (aciurl, sigurl, etag, blobkey, cachemaxage, downloadtime)  UNIQUE aciurlidx(aciurl)
//   aciinfo (blobkey, name, importtime, lastused, latest, size, treestoresize)
//           UNIQUE blobkeyidx(blobkey), INDEX nameidx(name)
//
// The version numbers continue rkt's, so "7" means the same tables as rkt v1.30. Migrations are
// an ordered list; each one brings the schema from toVersion-1 to toVersion. The list carries
// rkt's steps 5..7 translated to SQLite, so a SQLite index at version 4 or later can be upgraded.
#ifndef RKT_CAS_SCHEMA_HPP
#define RKT_CAS_SCHEMA_HPP

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>
#include <vector>

#include "layout.hpp"

namespace rkt::cas {

inline constexpr int kSchemaVersion = 7;
/// The oldest version a migration path exists from.
inline constexpr int kOldestMigratableVersion = 4;

struct Migration {
  int toVersion;
  const char* description;
  /// Runs inside the migration transaction; must not commit.
  void (*apply)(SQLite::Database& db, const CasLayout& layout);
};

/// The migrations in order, strictly increasing toVersion, the last one == kSchemaVersion.
const std::vector<Migration>& migrations();

/// True when the `version` table exists.
bool hasSchema(SQLite::Database& db);

/// The single row of `version`. Throws RKT_E_INVALID when it is missing or not one row.
int readSchemaVersion(SQLite::Database& db);

/// Creates the current schema (all tables, indexes, version row). Inside a transaction.
void createSchema(SQLite::Database& db);

/// Applies every migration with toVersion > `from`, updating the version row. Inside a
/// transaction. Throws RKT_E_UNSUPPORTED when `from` < kOldestMigratableVersion.
void migrateSchema(SQLite::Database& db, const CasLayout& layout, int from);

/// The tables of images kept as layers (docs/images.md, "Storage"), created when missing. They
/// are ours alone (rkt had no layers), so they need no version step: a store of the same
/// version without them gets them on its next open.
///   layer      (digest PRIMARY KEY, size, importtime)   -- one row per stored layer
///   imagelayer (blobkey, position, digest)              -- an image's layers, bottom first
bool hasLayerTables(SQLite::Database& db);

/// Inserts or updates the aciinfo row of `key` (importtime = lastused = `now`; treestoresize
/// kept on update): what publishing an image writes, as an ACI or as layers.
void upsertAciInfo(SQLite::Database& db, const std::string& key, const std::string& name,
                   int64_t now, bool latest, int64_t size);
void createLayerTables(SQLite::Database& db);

/// Indexes images that are on disk but not in the index: every blob/sha512/<hh>/<key> with a
/// readable manifest whose key has no aciinfo row gets one (name from the manifest, size from
/// the blob, importtime = lastused = the blob's mtime, latest = false). This is how a data
/// directory written by rkt (whose ql.db we cannot read) keeps its images. Inside a
/// transaction. Returns how many rows were added.
size_t adoptUnindexedBlobs(SQLite::Database& db, const CasLayout& layout);

}  // namespace rkt::cas

#endif  // RKT_CAS_SCHEMA_HPP
