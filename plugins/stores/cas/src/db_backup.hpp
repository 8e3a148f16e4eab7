// Copies of the index taken before a schema migration, rotated like rkt's pkg/backup:
// <backups>/0 is the newest, older ones shift to 1, 2, …; at most `keep` are kept.
#ifndef RKT_CAS_DB_BACKUP_HPP
#define RKT_CAS_DB_BACKUP_HPP

#include <SQLiteCpp/Database.h>

#include <string>

namespace rkt::cas {

inline constexpr int kKeptBackups = 5;

/// Writes a consistent copy of `db` (SQLite online backup) to `<backupsDir>/0/<fileName>`
/// after shifting existing backups and dropping those beyond `keep`. Throws rkt::sdk::Error.
void backupDatabase(SQLite::Database& db, const std::string& backupsDir,
                    const std::string& fileName, int keep = kKeptBackups);

}  // namespace rkt::cas

#endif  // RKT_CAS_DB_BACKUP_HPP
