#include "cas_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "db_backup.hpp"
#include "errors.hpp"
#include "fs_util.hpp"
#include "image_key.hpp"
#include "index_db.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/fsync.hpp"
#include "schema.hpp"

namespace rkt::cas {
namespace {

constexpr unsigned kMigrationPollMicros = 100000;

int64_t toNanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint fromNanos(int64_t ns) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

std::string notInStore(const std::string& key) {
  return "cannot find image " + named(key) + " in the local store";
}

constexpr const char* kAciInfoColumns =
    "blobkey, name, importtime, lastused, latest, size, treestoresize";

ImageInfo rowToInfo(SQLite::Statement& q) {
  ImageInfo info;
  info.key = q.getColumn(0).getString();
  info.name = q.getColumn(1).getString();
  info.importTime = fromNanos(q.getColumn(2).getInt64());
  info.lastUsed = fromNanos(q.getColumn(3).getInt64());
  info.latest = q.getColumn(4).getInt() != 0;
  info.size = q.getColumn(5).getInt64();
  info.treeStoreSize = q.getColumn(6).getInt64();
  return info;
}

std::string describeLabels(const Labels& labels) {
  std::string out;
  for (const auto& l : labels) {
    out += (out.empty() ? "" : ",") + l.name + "=" + l.value;
  }
  return out;
}

bool hasAllLabels(const ManifestInfo& manifest, const Labels& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const Label& w) {
    return std::find(manifest.labels.begin(), manifest.labels.end(), w) != manifest.labels.end();
  });
}

// Copies `src` into a temp file next to `dest` and renames it there (for EXDEV).
void copyIntoPlace(int srcFd, const std::string& src, const std::string& tmpDir,
                   const std::string& dest) {
  TempFile tmp = TempFile::create(tmpDir, "copy");
  std::string buf(1 << 20, '\0');
  for (;;) {
    ssize_t n = posix::readSome(srcFd, buf.data(), buf.size());
    if (n < 0) {
      throwSys("cannot read " + named(src));
    }
    if (n == 0) {
      break;
    }
    writeAll(tmp.fd(), buf.substr(0, static_cast<size_t>(n)), tmp.path());
  }
  tmp.commitTo(dest);
}

}  // namespace

CasStore::CasStore(const std::string& casDir) : layout_(casDir) {
  layout_.create();
  storeLock_ = FileLock::lockPath(layout_.root(), LockMode::kShared);
  staleTempFilesRemoved_ = removeStaleTempFiles(layout_.tmpDir());
  db_ = std::make_unique<IndexDb>(layout_.dbFile());
  prepareSchema();
}

CasStore::~CasStore() = default;

void CasStore::prepareSchema() {
  int version = 0;
  // Fast path for every open but the first: a store whose schema is current needs neither the
  // db lock nor an exclusive transaction (and is in WAL mode already: the mode is persistent
  // and set before the schema is created). Saves ~0.5 ms on each rkt start that opens the
  // store. Anything else (no schema, an older one to migrate) takes the locked path.
  bool layerTables = false;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    if (hasSchema(db)) {
      version = readSchemaVersion(db);
      layerTables = hasLayerTables(db);
    }
  });
  if (version != kSchemaVersion) {
    version = 0;
    // Serializes schema creation between processes opening a fresh store at the same time.
    FileLock dbLock = FileLock::lockPath(layout_.dbDir(), LockMode::kExclusive);
    db_->execOutsideTransaction("PRAGMA journal_mode=WAL");
    db_->transact(TxMode::kExclusive, [&](SQLite::Database& db) {
      imagesAdopted_ = 0;
      if (hasSchema(db)) {
        version = readSchemaVersion(db);
        return;
      }
      createSchema(db);
      imagesAdopted_ = adoptUnindexedBlobs(db, layout_);
      version = kSchemaVersion;
    });
  }
  if (version > kSchemaVersion) {
    throw Error(RKT_E_UNSUPPORTED, "image store database " + named(db_->path()) +
                                       " has schema version " + std::to_string(version) +
                                       ", newer than the newest this rkt knows (" +
                                       std::to_string(kSchemaVersion) + "): refusing to use it");
  }
  if (version < kSchemaVersion) {
    migrate(version);
  }
  if (!layerTables) {
    db_->transact(TxMode::kWrite, [](SQLite::Database& db) { createLayerTables(db); });
  }
}

void CasStore::migrate(int version) {
  if (version < kOldestMigratableVersion) {
    throw Error(RKT_E_UNSUPPORTED, "image store database " + named(db_->path()) +
                                       " has schema version " + std::to_string(version) +
                                       ", too old to migrate (oldest: " +
                                       std::to_string(kOldestMigratableVersion) + ")");
  }
  if (::geteuid() != 0) {
    throw Error(RKT_E_PERMISSION,
                "database schema needs to be updated, re-run as root to perform the update");
  }
  // Migration needs the store to ourselves. Rather than queueing for the exclusive lock (and
  // then waiting for every other user to close), poll: another process may finish the same
  // migration meanwhile, and then we simply continue with the shared lock.
  storeLock_.unlock();
  for (;;) {
    if (storeLock_.tryRelock(LockMode::kExclusive)) {
      break;
    }
    int current = 0;
    db_->transact(TxMode::kRead, [&](SQLite::Database& db) { current = readSchemaVersion(db); });
    if (current >= kSchemaVersion) {
      storeLock_.relock(LockMode::kShared);
      return;
    }
    ::usleep(kMigrationPollMicros);
  }
  int current = 0;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) { current = readSchemaVersion(db); });
  if (current < kSchemaVersion) {
    backupDatabase(db_->raw(), layout_.backupsDir(), CasLayout::kDbFileName);
    db_->transact(TxMode::kExclusive, [&](SQLite::Database& db) {
      int from = readSchemaVersion(db);
      if (from < kSchemaVersion) {
        migrateSchema(db, layout_, from);
      }
    });
  }
  storeLock_.relock(LockMode::kShared);
}

TempFile CasStore::createTempFile(const std::string& purpose) {
  return TempFile::create(layout_.tmpDir(), purpose);
}

void CasStore::moveIntoPlace(const std::string& src, int64_t size, const std::string& dest) {
  struct stat st {};
  posix::UniqueFd fd = openRegularFile(src, "cannot open image file " + named(src), st);
  if (st.st_size != size) {
    throw Error(RKT_E_INVALID, "image file " + named(src) + " has " + std::to_string(st.st_size) +
                                   " bytes, expected " + std::to_string(size));
  }
  if (::fsync(fd.get()) != 0) {
    throwSys("cannot sync image file " + named(src));
  }
  if (::fchmod(fd.get(), kStoreFileMode) != 0) {
    throwSys("cannot set mode of image file " + named(src));
  }
  if (::rename(src.c_str(), dest.c_str()) == 0) {
    posix::throwIfFailed(posix::fsyncDir(parentDir(dest)));
    return;
  }
  if (errno != EXDEV) {
    throwSys("cannot move " + named(src) + " to " + named(dest));
  }
  copyIntoPlace(fd.get(), src, layout_.tmpDir(), dest);
  if (::unlink(src.c_str()) != 0 && errno != ENOENT) {
    throwSys("cannot remove " + named(src));
  }
}

void CasStore::publish(const std::string& tarPath, const std::string& key, int64_t size,
                       const std::string& manifestJson, bool latest) {
  requireImageKey(key);
  ManifestInfo manifest = parseManifest(manifestJson);
  FileLock lock = FileLock::lockKey(layout_.imageLockDir(), key, LockMode::kExclusive);

  std::string blob = layout_.blobPath(key);
  std::string manifestFile = layout_.manifestPath(key);
  ensureDir(parentDir(blob), kStoreDirMode);
  ensureDir(parentDir(manifestFile), kStoreDirMode);

  moveIntoPlace(tarPath, size, blob);
  // Under the exclusive lock nobody else can have replaced it since.
  if (std::optional<FileIdentity> id = identityOf(blob)) {
    std::lock_guard<std::mutex> guard(ownBlobsMutex_);
    ownBlobs_[key] = *id;
  }
  TempFile tmp = createTempFile("manifest");
  writeAll(tmp.fd(), manifestJson, tmp.path());
  tmp.commitTo(manifestFile);

  int64_t now = toNanos(Clock::now());
  db_->transact(TxMode::kWrite, [&](SQLite::Database& db) {
    upsertAciInfo(db, key, manifest.name, now, latest, size);
  });
}

bool CasStore::FileIdentity::operator==(const FileIdentity& o) const {
  return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
         mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec &&
         ctime.tv_nsec == o.ctime.tv_nsec;
}

std::optional<CasStore::FileIdentity> CasStore::identityOf(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
}

bool CasStore::isOwnUnchangedBlob(const std::string& key) {
  std::optional<FileIdentity> recorded;
  {
    std::lock_guard<std::mutex> guard(ownBlobsMutex_);
    auto it = ownBlobs_.find(key);
    if (it == ownBlobs_.end()) {
      return false;
    }
    recorded = it->second;
  }
  std::optional<FileIdentity> now = identityOf(layout_.blobPath(key));
  return now && *now == *recorded;
}

std::string CasStore::resolveKey(const std::string& prefix) {
  if (prefix.compare(0, kKeyPrefix.size(), kKeyPrefix) != 0) {
    throw Error(RKT_E_INVALID, "wrong image ID prefix in " + named(prefix) + ": want `sha512-`");
  }
  if (prefix.size() < kMinKeyPrefixLength) {
    // rkt's words (imagestore.ResolveKey): scripts match them. The minimum is `sha512-` and 2
    // hex digits.
    throw Error(RKT_E_INVALID, "image ID too short");
  }
  std::string p = prefix.substr(0, kKeyLength);
  std::vector<std::string> found;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    found.clear();
    SQLite::Statement q(db, "SELECT blobkey FROM aciinfo WHERE substr(blobkey, 1, ?) = ? LIMIT 2");
    q.bind(1, static_cast<int>(p.size()));
    q.bind(2, p);
    while (q.executeStep()) {
      found.push_back(q.getColumn(0).getString());
    }
  });
  if (found.empty()) {
    throw Error(RKT_E_NOT_FOUND, "no image IDs found matching " + named(p));
  }
  if (found.size() > 1) {
    throw Error(RKT_E_INVALID, "ambiguous image ID " + named(p) + ": matches " + named(found[0]) +
                                   ", " + named(found[1]) + "…");
  }
  return found[0];
}

std::string CasStore::getACI(const std::string& name, const Labels& labels) {
  std::vector<ImageInfo> rows;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    rows.clear();
    SQLite::Statement q(db, std::string("SELECT ") + kAciInfoColumns +
                                " FROM aciinfo WHERE name = ? ORDER BY importtime");
    q.bind(1, name);
    while (q.executeStep()) {
      rows.push_back(rowToInfo(q));
    }
  });
  bool versionRequested =
      std::any_of(labels.begin(), labels.end(), [](const Label& l) { return l.name == "version"; });
  const ImageInfo* best = nullptr;
  for (const auto& row : rows) {
    // Manifests are replaced only by atomic rename, so they are read without the key lock;
    // one that vanished belongs to an image removed since the query.
    ManifestInfo manifest;
    try {
      manifest = parseManifest(readFile(layout_.manifestPath(row.key)));
    } catch (const Error& e) {
      if (e.code() == RKT_E_NOT_FOUND) {
        continue;
      }
      throw Error(e.code(), "cannot read manifest of image " + named(row.key) + ": " + e.what(),
                  e.sysErrno());
    }
    if (!hasAllLabels(manifest, labels)) {
      continue;
    }
    if (best == nullptr) {
      best = &row;
      continue;
    }
    if (!versionRequested && best->latest != row.latest) {
      if (row.latest) {
        best = &row;
      }
      continue;
    }
    if (row.importTime > best->importTime) {
      best = &row;
    }
  }
  if (best == nullptr) {
    throw Error(RKT_E_NOT_FOUND, "cannot find aci satisfying name " + named(name) + " and labels " +
                                     named(describeLabels(labels)) + " in the local store");
  }
  return best->key;
}

std::vector<ImageInfo> CasStore::list() {
  std::vector<ImageInfo> rows;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    rows.clear();
    SQLite::Statement q(db, std::string("SELECT ") + kAciInfoColumns +
                                " FROM aciinfo ORDER BY importtime, blobkey");
    while (q.executeStep()) {
      rows.push_back(rowToInfo(q));
    }
  });
  // An image kept as layers: the bytes of the layers no older image has (each layer once).
  for (const auto& [key, bytes] : sharedLayerSizes(rows)) {
    for (ImageInfo& row : rows) {
      if (row.key == key) {
        row.size = bytes;
      }
    }
  }
  std::vector<ImageInfo> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    // No key lock here (see getACI); a missing manifest is either a removal that raced with
    // us (drop the row) or a damaged store (keep the row, without version).
    try {
      ManifestInfo manifest = parseManifest(readFile(layout_.manifestPath(row.key)));
      row.version = manifest.label("version").value_or("");
      row.labels = std::move(manifest.labels);
    } catch (const Error& e) {
      if (e.code() == RKT_E_NOT_FOUND && !info(row.key)) {
        continue;
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<ImageInfo> CasStore::info(const std::string& key) {
  std::optional<ImageInfo> found;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    found.reset();
    SQLite::Statement q(
        db, std::string("SELECT ") + kAciInfoColumns + " FROM aciinfo WHERE blobkey = ?");
    q.bind(1, key);
    if (q.executeStep()) {
      found = rowToInfo(q);
    }
  });
  return found;
}

void CasStore::requireIndexed(const std::string& key) {
  requireImageKey(key);
  if (!info(key)) {
    throw Error(RKT_E_NOT_FOUND, notInStore(key));
  }
}

std::string CasStore::manifest(const std::string& key) {
  requireIndexed(key);
  FileLock lock = lockImage(key, LockMode::kShared);
  try {
    return readFile(layout_.manifestPath(key));
  } catch (const Error& e) {
    if (e.code() == RKT_E_NOT_FOUND) {
      throw Error(RKT_E_NOT_FOUND, notInStore(key));
    }
    throw;
  }
}

std::string CasStore::blobPath(const std::string& key) {
  requireIndexed(key);
  return layout_.blobPath(key);
}

void CasStore::touchLastUsed(const std::string& key) {
  requireImageKey(key);
  int changed = 0;
  int64_t now = toNanos(Clock::now());
  db_->transact(TxMode::kWrite, [&](SQLite::Database& db) {
    SQLite::Statement q(db, "UPDATE aciinfo SET lastused = ? WHERE blobkey = ?");
    q.bind(1, now);
    q.bind(2, key);
    changed = q.exec();
  });
  if (changed == 0) {
    throw Error(RKT_E_NOT_FOUND, notInStore(key));
  }
}

FileLock CasStore::lockImage(const std::string& key, LockMode mode) {
  requireImageKey(key);
  return FileLock::lockKey(layout_.imageLockDir(), key, mode);
}

void CasStore::remove(const std::string& key) {
  requireImageKey(key);
  FileLock lock = lockImage(key, LockMode::kExclusive);
  {
    std::lock_guard<std::mutex> guard(ownBlobsMutex_);
    ownBlobs_.erase(key);
  }
  // Rows first, in one transaction: a remote row must never point at a missing image.
  bool found = false;
  db_->transact(TxMode::kWrite, [&](SQLite::Database& db) {
    SQLite::Statement del(db, "DELETE FROM aciinfo WHERE blobkey = ?");
    del.bind(1, key);
    found = del.exec() > 0;
    if (!found) {
      return;
    }
    SQLite::Statement delRemote(db, "DELETE FROM remote WHERE blobkey = ?");
    delRemote.bind(1, key);
    delRemote.exec();
    SQLite::Statement delLayers(db, "DELETE FROM imagelayer WHERE blobkey = ?");
    delLayers.bind(1, key);
    delLayers.exec();
  });
  if (!found) {
    throw Error(RKT_E_NOT_FOUND, notInStore(key));
  }

  std::string stale;
  for (const auto& path : {layout_.blobPath(key), layout_.manifestPath(key)}) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      const int err = errno;
      stale += (stale.empty() ? "" : "; ") + ("cannot remove " + named(path) + ": ") +
               posix::errnoText(err);
    }
  }
  lock.unlinkKeyFile();
  // Its layers no other image and no tree uses go with it.
  try {
    collectLayers();
  } catch (const Error& e) {
    stale += (stale.empty() ? "" : "; ") + std::string(e.what());
  }
  if (!stale.empty()) {
    throw Error(RKT_E_IO, "image " + named(key) + " removed but left some stale files: " + stale);
  }
}

std::optional<RemoteInfo> CasStore::getRemote(const std::string& aciUrl) {
  std::optional<RemoteInfo> found;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    found.reset();
    SQLite::Statement q(db,
                        "SELECT aciurl, sigurl, etag, blobkey, cachemaxage, downloadtime "
                        "FROM remote WHERE aciurl = ?");
    q.bind(1, aciUrl);
    if (q.executeStep()) {
      RemoteInfo r;
      r.aciUrl = q.getColumn(0).getString();
      r.sigUrl = q.getColumn(1).getString();
      r.etag = q.getColumn(2).getString();
      r.blobKey = q.getColumn(3).getString();
      r.cacheMaxAge = q.getColumn(4).getInt64();
      r.downloadTime = fromNanos(q.getColumn(5).getInt64());
      found = std::move(r);
    }
  });
  return found;
}

void CasStore::upsertRemote(const RemoteInfo& remote) {
  requireImageKey(remote.blobKey);
  if (remote.aciUrl.empty()) {
    throw Error(RKT_E_INVALID,
                "remote entry for image " + named(remote.blobKey) + " has an empty URL");
  }
  bool indexed = false;
  db_->transact(TxMode::kWrite, [&](SQLite::Database& db) {
    SQLite::Statement check(db, "SELECT count(*) FROM aciinfo WHERE blobkey = ?");
    check.bind(1, remote.blobKey);
    check.executeStep();
    indexed = check.getColumn(0).getInt() > 0;
    if (!indexed) {
      return;
    }
    SQLite::Statement upsert(
        db,
        "INSERT INTO remote (aciurl, sigurl, etag, blobkey, cachemaxage, downloadtime) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (aciurl) DO UPDATE SET sigurl = excluded.sigurl, etag = excluded.etag, "
        "blobkey = excluded.blobkey, cachemaxage = excluded.cachemaxage, "
        "downloadtime = excluded.downloadtime");
    upsert.bind(1, remote.aciUrl);
    upsert.bind(2, remote.sigUrl);
    upsert.bind(3, remote.etag);
    upsert.bind(4, remote.blobKey);
    upsert.bind(5, remote.cacheMaxAge);
    upsert.bind(6, toNanos(remote.downloadTime));
    upsert.exec();
  });
  if (!indexed) {
    throw Error(RKT_E_NOT_FOUND,
                "cannot record remote " + named(remote.aciUrl) + ": " + notInStore(remote.blobKey));
  }
}

FileLock CasStore::lockTree(const std::string& treeId, LockMode mode) {
  requireTreeId(treeId);
  return FileLock::lockKey(layout_.treeLockDir(), treeId, mode);
}

std::string CasStore::treePath(const std::string& treeId) const {
  requireTreeId(treeId);
  return layout_.treePath(treeId);
}

bool CasStore::setTreeStoreSize(const std::string& key, int64_t bytes) {
  requireImageKey(key);
  if (bytes < 0) {
    throw Error(RKT_E_INVALID, "negative tree store size for image " + named(key));
  }
  int changed = 0;
  db_->transact(TxMode::kWrite, [&](SQLite::Database& db) {
    SQLite::Statement q(db, "UPDATE aciinfo SET treestoresize = ? WHERE blobkey = ?");
    q.bind(1, bytes);
    q.bind(2, key);
    changed = q.exec();
  });
  return changed > 0;
}

std::vector<std::string> CasStore::gcCandidates(std::chrono::nanoseconds gracePeriod,
                                                const std::set<std::string>& inUse, TimePoint now) {
  int64_t cutoff = toNanos(now) - gracePeriod.count();
  std::vector<std::string> keys;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    keys.clear();
    SQLite::Statement q(
        db, "SELECT blobkey FROM aciinfo WHERE lastused < ? ORDER BY lastused, blobkey");
    q.bind(1, cutoff);
    while (q.executeStep()) {
      std::string key = q.getColumn(0).getString();
      if (inUse.count(key) == 0) {
        keys.push_back(std::move(key));
      }
    }
  });
  return keys;
}

}  // namespace rkt::cas
