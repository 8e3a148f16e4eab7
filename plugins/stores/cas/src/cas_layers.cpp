// CasStore's images kept as layers (cas_store.hpp; docs/images.md, "Storage").
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <set>

#include "archive_helper.hpp"
#include "cas_store.hpp"
#include "errors.hpp"
#include "fs_util.hpp"
#include "hash_util.hpp"
#include "index_db.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "rkt/support/posix/unique_fd.hpp"
#include "schema.hpp"
#include "tree_files.hpp"

namespace rkt::cas {
namespace {

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

bool isDirectory(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> namesIn(const std::string& dir) {
  posix::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return {};
  }
  return directoryNames(fd.get(), dir);
}

// The digests every tree stacks (its `layers` file): a pod's overlay uses them until the tree
// goes, whatever happened to the image.
std::set<std::string> layersOfTrees(const CasLayout& layout) {
  std::set<std::string> used;
  for (const std::string& tree : namesIn(layout.treeDir())) {
    std::string text;
    try {
      text = readFile(layout.treeDir() + "/" + tree + "/" + kTreeLayersFile);
    } catch (const Error&) {
      continue;
    }
    size_t i = 0;
    while (i < text.size()) {
      size_t j = text.find('\n', i);
      j = j == std::string::npos ? text.size() : j;
      if (j > i) {
        used.insert(text.substr(i, j - i));
      }
      i = j + 1;
    }
  }
  return used;
}

// A directory in cas/tmp for one layer's extraction, removed unless released.
struct LayerWorkDir {
  std::string path;
  ~LayerWorkDir() {
    if (!path.empty()) {
      (void)posix::removeTree(path);
    }
  }
};

}  // namespace

std::string CasStore::publishLayered(const std::string& manifestJson,
                                     const std::vector<LayerInput>& layers, bool latest,
                                     const std::string& name) {
  const std::string what = "cannot import image " + named(name);
  ManifestInfo manifest = parseManifest(manifestJson);
  std::string identity = manifestJson;
  for (const LayerInput& l : layers) {
    if (!CasLayout::isLayerDigest(l.digest)) {
      throw Error(RKT_E_INVALID, what + ": invalid layer digest " + named(l.digest));
    }
    identity += "\n" + l.digest;
  }
  // The image is what its manifest says over these layers in this order.
  const std::string key = sha512Key(identity);

  FileLock layersLock = FileLock::lockPath(layout_.layersDir(), LockMode::kExclusive);
  std::vector<std::string> lowersTopFirst;
  std::vector<std::pair<std::string, int64_t>> added;  // digest, bytes: layers this call stored
  try {
    for (const LayerInput& l : layers) {
      const std::string dest = layout_.layerPath(l.digest);
      if (!isDirectory(dest)) {
        LayerWorkDir work;
        std::string tmpl = layout_.tmpDir() + "/cas-layer-XXXXXX";
        if (::mkdtemp(tmpl.data()) == nullptr) {
          throwSys(what + ": cannot create a directory in " + named(layout_.tmpDir()));
        }
        work.path = tmpl;
        auto bytes =
            archiveHelper().extractLayer(l.path, l.digest, l.size, work.path, lowersTopFirst, what);
        if (!bytes) {
          throw Error(bytes.error().sysErrno == 0 ? RKT_E_INVALID : RKT_E_IO, bytes.error().message,
                      bytes.error().sysErrno);
        }
        if (::rename(work.path.c_str(), dest.c_str()) != 0) {
          throwSys(what + ": cannot move layer " + named(l.digest) + " into place");
        }
        work.path.clear();
        added.emplace_back(l.digest, static_cast<int64_t>(*bytes));
      }
      lowersTopFirst.insert(lowersTopFirst.begin(), dest);
    }
    if (!added.empty()) {
      syncFilesystem(layout_.layersDir());  // the layers are on disk before the index says so
    }

    FileLock lock = FileLock::lockKey(layout_.imageLockDir(), key, LockMode::kExclusive);
    const std::string manifestFile = layout_.manifestPath(key);
    ensureDir(parentDir(manifestFile), kStoreDirMode);
    TempFile tmp = createTempFile("manifest");
    writeAll(tmp.fd(), manifestJson, tmp.path());
    tmp.commitTo(manifestFile);

    const int64_t now = nowNanos();
    db_->transact(TxMode::kWrite, [&](SQLite::Database& db) {
      for (const auto& [digest, bytes] : added) {
        SQLite::Statement ins(
            db, "INSERT OR IGNORE INTO layer (digest, size, importtime) VALUES (?, ?, ?)");
        ins.bind(1, digest);
        ins.bind(2, bytes);
        ins.bind(3, now);
        ins.exec();
      }
      SQLite::Statement del(db, "DELETE FROM imagelayer WHERE blobkey = ?");
      del.bind(1, key);
      del.exec();
      int64_t size = 0;
      for (size_t i = 0; i < layers.size(); ++i) {
        SQLite::Statement ins(
            db, "INSERT INTO imagelayer (blobkey, position, digest) VALUES (?, ?, ?)");
        ins.bind(1, key);
        ins.bind(2, static_cast<int64_t>(i));
        ins.bind(3, layers[i].digest);
        ins.exec();
        SQLite::Statement q(db, "SELECT size FROM layer WHERE digest = ?");
        q.bind(1, layers[i].digest);
        if (q.executeStep()) {
          size += q.getColumn(0).getInt64();
        }
      }
      upsertAciInfo(db, key, manifest.name, now, latest, size);
    });
  } catch (...) {
    // Layers extracted for nothing: a later import extracts them again.
    for (const auto& [digest, bytes] : added) {
      (void)bytes;
      (void)posix::removeTree(layout_.layerPath(digest));
    }
    throw;
  }
  return key;
}

std::vector<std::string> CasStore::layersOf(const std::string& key) {
  std::vector<std::string> out;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    out.clear();
    SQLite::Statement q(db, "SELECT digest FROM imagelayer WHERE blobkey = ? ORDER BY position");
    q.bind(1, key);
    while (q.executeStep()) {
      out.push_back(q.getColumn(0).getString());
    }
  });
  return out;
}

size_t CasStore::collectLayers() {
  FileLock layersLock = FileLock::lockPath(layout_.layersDir(), LockMode::kExclusive);
  // A layer goes only when neither an image (the index) nor a tree (a pod's overlay may stack
  // it: trees stay while pods use them) lists it, both read under the lock imports take.
  std::set<std::string> used = layersOfTrees(layout_);
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT DISTINCT digest FROM imagelayer");
    while (q.executeStep()) {
      used.insert(q.getColumn(0).getString());
    }
  });
  std::vector<std::string> unused;
  for (const std::string& hex : namesIn(layout_.layersDir() + "/sha256")) {
    const std::string digest = "sha256:" + hex;
    if (CasLayout::isLayerDigest(digest) && used.count(digest) == 0) {
      unused.push_back(digest);
    }
  }
  // Rows of the layers that go only: a layer a tree still stacks keeps its size.
  db_->transact(TxMode::kWrite, [&](SQLite::Database& db) {
    for (const std::string& digest : unused) {
      SQLite::Statement del(db, "DELETE FROM layer WHERE digest = ?");
      del.bind(1, digest);
      del.exec();
    }
  });
  size_t removed = 0;
  for (const std::string& digest : unused) {
    if (Status s = posix::removeTree(layout_.layerPath(digest)); !s) {
      throw Error(RKT_E_IO, "cannot remove layer " + named(digest) + ": " + s.error().message,
                  s.error().sysErrno);
    }
    ++removed;
  }
  return removed;
}

std::map<std::string, int64_t> CasStore::sharedLayerSizes(const std::vector<ImageInfo>& rows) {
  // key -> the bytes of its layers no older image has.
  std::map<std::string, int64_t> sizes;
  db_->transact(TxMode::kRead, [&](SQLite::Database& db) {
    sizes.clear();
    std::set<std::string> counted;
    SQLite::Statement q(db,
                        "SELECT il.digest, l.size FROM imagelayer il JOIN layer l "
                        "ON l.digest = il.digest WHERE il.blobkey = ?");
    for (const ImageInfo& row : rows) {
      q.reset();
      q.bind(1, row.key);
      bool layered = false;
      int64_t own = 0;
      while (q.executeStep()) {
        layered = true;
        if (counted.insert(q.getColumn(0).getString()).second) {
          own += q.getColumn(1).getInt64();
        }
      }
      if (layered) {
        sizes[row.key] = own;
      }
    }
  });
  return sizes;
}

}  // namespace rkt::cas
