// The store index: one SQLite database (db/store.sqlite) opened by many processes at once.
//
// Concurrency model (replacing rkt's "flock the db directory around every ql transaction"):
// WAL journal, so readers never block the writer; every write runs in BEGIN IMMEDIATE so the
// write lock is taken up front (a deferred transaction that upgrades can fail with SQLITE_BUSY
// without waiting); each statement waits up to kBusyTimeoutMs; and a whole transaction that
// still hits SQLITE_BUSY/SQLITE_LOCKED is rolled back and retried with a randomized backoff.
// Callers keep transactions short (no file I/O of image data inside them).
#ifndef RKT_CAS_INDEX_DB_HPP
#define RKT_CAS_INDEX_DB_HPP

#include <SQLiteCpp/Database.h>

#include <functional>
#include <memory>
#include <string>

namespace rkt::cas {

enum class TxMode {
  kRead,      ///< BEGIN DEFERRED: a consistent snapshot for several SELECTs
  kWrite,     ///< BEGIN IMMEDIATE: the normal write transaction
  kExclusive  ///< BEGIN EXCLUSIVE: schema creation and migration
};

class IndexDb {
 public:
  static constexpr int kBusyTimeoutMs = 5000;
  static constexpr int kMaxAttempts = 60;

  /// Opens (creating with mode 0660 when missing) the database file `path`. Does not look at
  /// the schema. Throws rkt::sdk::Error.
  explicit IndexDb(std::string path);
  ~IndexDb();
  IndexDb(const IndexDb&) = delete;
  IndexDb& operator=(const IndexDb&) = delete;

  /// Runs `body` inside a transaction of the given mode and commits. SQLITE_BUSY/LOCKED anywhere
  /// (begin, a statement, commit) rolls back and re-runs `body` from the start, so `body` must
  /// only touch the database and must assign its results, not accumulate them. Other SQLite
  /// failures become RKT_E_IO; busy after every attempt becomes RKT_E_BUSY. Exceptions thrown
  /// by `body` itself roll back and propagate unchanged.
  void transact(TxMode mode, const std::function<void(SQLite::Database&)>& body);

  /// Runs one statement outside a transaction (PRAGMAs that cannot run inside one), with the
  /// same retry rules.
  void execOutsideTransaction(const std::string& sql);

  /// The connection, for code that manages its own statements (backup).
  SQLite::Database& raw() { return *db_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<SQLite::Database> db_;
};

/// Microseconds slept before retry number `attempt` (1-based): random, growing, capped.
unsigned busyBackoffMicros(int attempt);

}  // namespace rkt::cas

#endif  // RKT_CAS_INDEX_DB_HPP
