#include "db_backup.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Exception.h>
#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "errors.hpp"
#include "fs_util.hpp"
#include "layout.hpp"
#include "rkt/support/posix/fsync.hpp"

namespace rkt::cas {
namespace fs = std::filesystem;
namespace {

void removeTree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) {
    throw Error(RKT_E_IO, "cannot remove " + named(path) + ": " + ec.message(), ec.value());
  }
}

void renameDir(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    throw Error(RKT_E_IO, "cannot rename " + named(from) + " to " + named(to) + ": " + ec.message(),
                ec.value());
  }
}

}  // namespace

void backupDatabase(SQLite::Database& db, const std::string& backupsDir,
                    const std::string& fileName, int keep) {
  ensureDir(backupsDir, kBackupsDirMode);
  std::string tmp = backupsDir + "/tmp";
  removeTree(tmp);  // left over by an interrupted backup
  ensureDir(tmp, kBackupsDirMode);
  std::string copy = tmp + "/" + fileName;
  try {
    SQLite::Database dest(copy, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup backup(dest, db);
    backup.executeStep();  // all pages in one step
  } catch (const SQLite::Exception& e) {
    throw Error(RKT_E_IO,
                "cannot back up image store database to " + named(copy) + ": " + e.what());
  }
  if (::chmod(copy.c_str(), kStoreFileMode) != 0) {
    throwSys("cannot set mode of " + named(copy));
  }

  // Make room: drop every numbered backup that would end up at index >= keep, then shift.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(backupsDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos &&
        name.size() < 9 && std::stoi(name) >= keep - 1) {
      removeTree(entry.path().string());
    }
  }
  if (ec) {
    throw Error(RKT_E_IO, "cannot list " + named(backupsDir) + ": " + ec.message(), ec.value());
  }
  for (int i = keep - 2; i >= 0; --i) {
    std::string from = backupsDir + "/" + std::to_string(i);
    if (fs::exists(from, ec)) {
      renameDir(from, backupsDir + "/" + std::to_string(i + 1));
    }
  }
  renameDir(tmp, backupsDir + "/0");
  posix::throwIfFailed(posix::fsyncDir(backupsDir));
}

}  // namespace rkt::cas
