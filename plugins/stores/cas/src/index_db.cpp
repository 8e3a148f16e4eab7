#include "index_db.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "errors.hpp"
#include "fs_util.hpp"
#include "layout.hpp"

namespace rkt::cas {
namespace {

bool isBusy(const SQLite::Exception& e) {
  int code = e.getErrorCode() & 0xff;
  return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

SQLite::TransactionBehavior behaviorOf(TxMode mode) {
  switch (mode) {
    case TxMode::kRead:
      return SQLite::TransactionBehavior::DEFERRED;
    case TxMode::kWrite:
      return SQLite::TransactionBehavior::IMMEDIATE;
    case TxMode::kExclusive:
      return SQLite::TransactionBehavior::EXCLUSIVE;
  }
  return SQLite::TransactionBehavior::IMMEDIATE;
}

// Runs `attempt` until it succeeds, retrying only SQLite busy/locked failures.
void withRetry(const std::string& path, const std::function<void()>& attempt) {
  for (int n = 1;; ++n) {
    try {
      attempt();
      return;
    } catch (const SQLite::Exception& e) {
      if (!isBusy(e)) {
        throw Error(RKT_E_IO, "image store database " + named(path) + ": " + e.what());
      }
      if (n >= IndexDb::kMaxAttempts) {
        throw Error(RKT_E_BUSY, "image store database " + named(path) + " stayed busy after " +
                                    std::to_string(n) + " attempts: " + e.what());
      }
      ::usleep(busyBackoffMicros(n));
    }
  }
}

}  // namespace

unsigned busyBackoffMicros(int attempt) {
  // Seeded per process (and reseeded after fork) so that processes which collided once do not
  // collide again in lockstep.
  thread_local std::minstd_rand rng;
  thread_local pid_t seededFor = 0;
  if (seededFor != ::getpid()) {
    seededFor = ::getpid();
    rng.seed(std::random_device{}());
  }
  unsigned cap = std::min(2000u * static_cast<unsigned>(attempt), 100000u);
  return 1000u + rng() % cap;
}

IndexDb::IndexDb(std::string path) : path_(std::move(path)) {
  // SQLite would create the file 0644; the store's files are 0660 (group rkt may read the index).
  posix::UniqueFd fd(::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, kStoreFileMode));
  if (fd.valid()) {
    if (::fchmod(fd.get(), kStoreFileMode) != 0) {
      throwSys("cannot set mode of " + named(path_));
    }
  } else if (errno != EEXIST) {
    throwSys("cannot create image store database " + named(path_));
  }
  fd.reset();
  try {
    db_ = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE, kBusyTimeoutMs);
  } catch (const SQLite::Exception& e) {
    throw Error(RKT_E_IO, "cannot open image store database " + named(path_) + ": " + e.what());
  }
  // The WAL and its index (-wal, -shm) stay when the last connection closes: SQLite would
  // otherwise delete them at each command's end and create them at the next one's start, two
  // file creations on every rkt command (each one slow on a busy ext4 without a journal, which
  // scans past recently deleted inodes). Their content is checkpointed all the same.
  int persist = 1;
  (void)sqlite3_file_control(db_->getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
}

IndexDb::~IndexDb() = default;

void IndexDb::transact(TxMode mode, const std::function<void(SQLite::Database&)>& body) {
  withRetry(path_, [&] {
    SQLite::Transaction tx(*db_, behaviorOf(mode));
    body(*db_);
    tx.commit();
  });
}

void IndexDb::execOutsideTransaction(const std::string& sql) {
  withRetry(path_, [&] { db_->exec(sql); });
}

}  // namespace rkt::cas
