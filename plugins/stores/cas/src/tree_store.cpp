#include "tree_store.hpp"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <optional>

#include "archive_helper.hpp"
#include "cas_store.hpp"
#include "errors.hpp"
#include "file_lock.hpp"
#include "fs_util.hpp"
#include "image_key.hpp"
#include "renderer.hpp"
#include "rkt/support/posix/fsync.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "temp_file.hpp"
#include "tree_files.hpp"
#include "tree_hash.hpp"
#include "tree_size.hpp"

namespace rkt::cas {
namespace {

constexpr mode_t kTreeMode = 0755;
// How long recordFingerprint waits for the filesystem's clock: 100 x 1 ms.
constexpr int kMaxClockWaits = 100;
constexpr long kClockWaitNs = 1000 * 1000;

bool pathExists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::optional<std::string> readSmallFile(const std::string& path) {
  try {
    return readFile(path);
  } catch (const Error& e) {
    if (e.code() == RKT_E_NOT_FOUND) {
      return std::nullopt;
    }
    throw;
  }
}

void writeSmallFile(const std::string& path, const std::string& content) {
  posix::UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd.valid()) {
    throwSys("cannot create " + named(path));
  }
  writeAll(fd.get(), content, path);
}

// st_size of `path` itself.
int64_t entrySize(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    throwSys("cannot stat " + named(path));
  }
  return st.st_size;
}

// What one dirSize walk has seen (nftw has no user pointer).
struct DirSizeWalk {
  TreeSizeCounter size;
  std::string skipped;  ///< the tree's fingerprint file
};
thread_local DirSizeWalk* gDirSizeWalk = nullptr;

// rkt's size of a tree directory (tree_size.hpp); our fingerprint file, which rkt's trees never
// had, is not counted.
int64_t dirSize(const std::string& path) {
  DirSizeWalk walk;
  walk.skipped = path + "/" + kTreeFingerprintFile;
  gDirSizeWalk = &walk;
  ::nftw(
      path.c_str(),
      [](const char* entry, const struct stat* st, int type, struct FTW*) {
        DirSizeWalk& w = *gDirSizeWalk;
        if (type != FTW_NS && w.skipped != entry) {
          w.size.add(*st);
        }
        return 0;
      },
      64, FTW_PHYS);
  gDirSizeWalk = nullptr;
  return walk.size.bytes();
}

// The fingerprint recorded for the tree at `path`; none when it cannot be read (a missing or
// unreadable fingerprint only means the tree is read whole).
std::optional<std::string> recordedFingerprint(const std::string& path) {
  try {
    return readSmallFile(path + "/" + kTreeFingerprintFile);
  } catch (const Error&) {
    return std::nullopt;
  }
}

// The image a partial tree was rendered for, when it got that far and the file is sane.
std::optional<std::string> readIncompleteTreeKey(const std::string& path) {
  try {
    std::optional<std::string> key = readSmallFile(path + "/" + kTreeImageFile);
    if (key && isImageKey(*key)) {
      return key;
    }
  } catch (const Error&) {
  }
  return std::nullopt;
}

// Makes a tree incomplete before anything else of it goes: a kill in the middle of the removal
// must not leave a half-removed tree that still says `rendered`.
void unrender(const std::string& path) {
  std::string marker = path + "/" + kTreeRenderedFile;
  if (::unlink(marker.c_str()) == 0) {
    posix::throwIfFailed(posix::fsyncDir(path));
  } else if (errno != ENOENT && errno != ENOTDIR) {
    throwSys("cannot remove " + named(marker));
  }
}

}  // namespace

const char* treeStatusName(TreeStatus status) {
  switch (status) {
    case TreeStatus::kOk:
      return "ok";
    case TreeStatus::kNotRendered:
      return "not-rendered";
    case TreeStatus::kRebuilt:
      return "rebuilt";
    case TreeStatus::kDamaged:
      return "damaged";
  }
  return "unknown";
}

void removeTreeDir(const std::string& path) {
  if (Status s = rkt::posix::removeTree(path); !s) {
    throw Error(RKT_E_IO, s.error().message, s.error().sysErrno);
  }
}

std::string TreeStore::treeId(const std::string& key) {
  return treeStoreId(dependencyList(store_, key));
}

RenderedTree TreeStore::render(const std::string& key, bool rebuild) {
  requireImageKey(key);
  std::vector<DepImage> deps = dependencyList(store_, key);
  std::string id = treeStoreId(deps);
  FileLock lock = store_.lockTree(id, LockMode::kExclusive);
  std::string path = store_.treePath(id);
  if (!rebuild && pathExists(path + "/" + kTreeRenderedFile)) {
    return RenderedTree{id, path, true};
  }
  return renderLocked(key, deps, id);
}

RenderedTree TreeStore::renderLocked(const std::string& key, const std::vector<DepImage>& deps,
                                     const std::string& id) {
  std::string path = store_.treePath(id);
  if (pathExists(path)) {
    unrender(path);
    removeTreeDir(path);
  }
  ensureDir(path, kTreeMode);
  try {
    // The files' digests come from the extraction: the tree is not read back to be hashed.
    rkt::archive::FileDigests digests;
    std::vector<std::string> layers =
        deps.size() == 1 ? store_.layersOf(key) : std::vector<std::string>();
    if (layers.empty()) {
      renderImages(store_, deps, path, &digests);
    } else {
      renderLayered(key, layers, path);
    }
    TreeHash h = archiveHelper().hashTree(path, &digests);
    const int64_t dirSizeHashed = entrySize(path);
    writeSmallFile(path + "/" + kTreeHashFile, h.hash);
    writeSmallFile(path + "/" + kTreeImageFile, key);
    TreeFingerprint fingerprint = fingerprintTree(path);
    // Everything of the tree is on disk before the marker says it is complete.
    syncFilesystem(path);
    writeSmallFile(path + "/" + kTreeRenderedFile, "");
    posix::throwIfFailed(posix::fsyncDir(path));
    posix::throwIfFailed(posix::fsyncDir(parentDir(path)));
    // rkt's size: every entry of the directory, which then holds what rkt's did (rootfs,
    // manifest, hash, image, rendered). The walk saw all but the last files; the directory's own
    // size depends on its entries on most filesystems. The fingerprint is ours alone: it is
    // recorded after (unsynced, as before: a lost one only costs one full check).
    const int64_t size =
        h.size - dirSizeHashed + entrySize(path) + static_cast<int64_t>(h.hash.size() + key.size());
    recordFingerprint(path, fingerprint);
    store_.setTreeStoreSize(key, size);
  } catch (...) {
    // Leave no partial tree behind (one left by a kill, or that cannot be removed now, is
    // swept by `rkt image gc`: docs/store.md, "Leftover trees").
    try {
      unrender(path);
      removeTreeDir(path);
    } catch (const Error&) {
    }
    throw;
  }
  return RenderedTree{id, path, false};
}

TreeStatus TreeStore::verify(const std::string& key, std::string* treeIdOut, TreeCheck check,
                             TreeDamage damage) {
  requireImageKey(key);
  std::vector<DepImage> deps = dependencyList(store_, key);
  std::string id = treeStoreId(deps);
  if (treeIdOut != nullptr) {
    *treeIdOut = id;
  }
  {
    FileLock lock = store_.lockTree(id, LockMode::kShared);
    std::string path = store_.treePath(id);
    std::optional<std::string> recorded = readSmallFile(path + "/" + kTreeHashFile);
    if (!recorded || !pathExists(path + "/" + kTreeRenderedFile)) {
      return TreeStatus::kNotRendered;
    }
    // Taken before the content is read: the state it records is the one the hash vouches for.
    TreeFingerprint fingerprint = fingerprintTree(path);
    if (check == TreeCheck::kQuick && recordedFingerprint(path) == fingerprint.digest) {
      return TreeStatus::kOk;
    }
    if (archiveHelper().hashTree(path, nullptr).hash == *recorded) {
      // Best effort: a reader that may not write the tree (not root) just keeps reading it.
      try {
        recordFingerprint(path, fingerprint);
      } catch (const Error& e) {
        rkt::sdk::log(RKT_LOG_DEBUG,
                      "cannot record the fingerprint of tree " + named(id) + ": " + e.what());
      }
      return TreeStatus::kOk;
    }
  }
  if (damage == TreeDamage::kReport) {
    return TreeStatus::kDamaged;
  }
  rkt::sdk::log(RKT_LOG_WARNING, "tree " + named(id) + " of image " + named(key) +
                                     " does not match its recorded hash, rendering it again");
  FileLock lock = store_.lockTree(id, LockMode::kExclusive);
  renderLocked(key, deps, id);
  return TreeStatus::kRebuilt;
}

// The fingerprint goes through a temp file in cas/tmp, which is also the probe of the
// filesystem's clock: it is renamed into place only once its own ctime is later than every
// change the fingerprint saw (tree_fingerprint.hpp, the caveat). The clock moves on within a
// tick (a few milliseconds); if it does not (set back meanwhile), the tree keeps no fingerprint
// and its next quick check reads it whole.
bool TreeStore::recordFingerprint(const std::string& treePath, const TreeFingerprint& fingerprint) {
  TempFile probe = TempFile::create(store_.layout().tmpDir(), "fingerprint");
  writeAll(probe.fd(), fingerprint.digest, probe.path());
  for (int waited = 0;; ++waited) {
    struct stat st {};
    if (::fstat(probe.fd(), &st) != 0) {
      throwSys("cannot stat " + named(probe.path()));
    }
    if (isLater(st.st_ctim, fingerprint.newestChange)) {
      break;
    }
    if (waited == kMaxClockWaits) {
      return false;
    }
    const struct timespec pause { 0, kClockWaitNs };
    ::nanosleep(&pause, nullptr);
    if (::futimens(probe.fd(), nullptr) != 0) {  // its ctime becomes the clock's time now
      throwSys("cannot touch " + named(probe.path()));
    }
  }
  // Not synced: a fingerprint lost in a crash only costs one full check.
  probe.moveTo(treePath + "/" + kTreeFingerprintFile);
  return true;
}

std::vector<TreeInfo> TreeStore::list(bool includeIncomplete) {
  std::string treeDir = store_.layout().treeDir();
  posix::UniqueFd fd(::open(treeDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    throwSys("cannot open " + named(treeDir));
  }
  std::vector<std::string> names = directoryNames(fd.get(), treeDir);
  std::sort(names.begin(), names.end());
  std::vector<TreeInfo> out;
  for (const auto& id : names) {
    if (!isTreeId(id)) {
      continue;
    }
    // A tree locked exclusively is being rendered or removed: not complete, not listed.
    std::optional<FileLock> lock =
        FileLock::tryLockKey(store_.layout().treeLockDir(), id, LockMode::kShared);
    if (!lock) {
      continue;
    }
    std::string path = store_.treePath(id);
    if (!pathExists(path + "/" + kTreeRenderedFile)) {
      if (includeIncomplete) {
        // No size: a partial tree may be anything an image held (deep, huge); only removing
        // it has to cope with that.
        std::optional<std::string> key = readIncompleteTreeKey(path);
        out.push_back(TreeInfo{id, key.value_or(""), path, 0, false});
      }
      continue;
    }
    std::optional<std::string> key = readSmallFile(path + "/" + kTreeImageFile);
    if (!key || !isImageKey(*key)) {
      continue;
    }
    out.push_back(TreeInfo{id, *key, path, dirSize(path)});
  }
  return out;
}

void TreeStore::renderLayered(const std::string& key, const std::vector<std::string>& layers,
                              const std::string& path) {
  // The tree of an image kept as layers holds only what the conversion adds above them (rkt's
  // /dev links) and the list of its layers: a pod stacks the layers below its rootfs/.
  FileLock imageLock = store_.lockImage(key, LockMode::kShared);
  writeSmallFile(path + "/" + kTreeManifestFile, store_.manifest(key));
  std::string list;
  std::vector<std::string> lowers;
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    list += *it + "\n";
    lowers.push_back(store_.layerPath(*it));
  }
  writeSmallFile(path + "/" + kTreeLayersFile, list);
  const std::string rootfs = path + "/rootfs";
  ensureDir(rootfs, 0755);
  if (::chmod(rootfs.c_str(), 0755) != 0) {
    throwSys("cannot set the mode of " + named(rootfs));
  }
  if (Status s = archiveHelper().addDevLinks(lowers, rootfs); !s) {
    throw Error(RKT_E_INVALID, "cannot render image " + named(key) + ": " + s.error().message,
                s.error().sysErrno);
  }
  const struct timespec epoch[2] = {{0, 0}, {0, 0}};
  if (::utimensat(AT_FDCWD, rootfs.c_str(), epoch, AT_SYMLINK_NOFOLLOW) != 0) {
    throwSys("cannot set the times of " + named(rootfs));
  }
  store_.touchLastUsed(key);
}

std::vector<std::string> TreeStore::lowerDirs(const std::string& treePath) {
  std::vector<std::string> out;
  std::optional<std::string> list = readSmallFile(treePath + "/" + kTreeLayersFile);
  if (!list) {
    return out;
  }
  size_t i = 0;
  while (i < list->size()) {
    size_t j = list->find('\n', i);
    j = j == std::string::npos ? list->size() : j;
    const std::string digest = list->substr(i, j - i);
    if (CasLayout::isLayerDigest(digest)) {
      out.push_back(store_.layerPath(digest));
    }
    i = j + 1;
  }
  return out;
}

void TreeStore::remove(const std::string& treeId) {
  FileLock lock = store_.lockTree(treeId, LockMode::kExclusive);
  std::string path = store_.treePath(treeId);
  if (!pathExists(path)) {
    lock.unlinkKeyFile();
    throw Error(RKT_E_NOT_FOUND, "cannot find tree " + named(treeId) + " in the tree store");
  }
  std::optional<std::string> key = readSmallFile(path + "/" + kTreeImageFile);
  unrender(path);
  removeTreeDir(path);
  posix::throwIfFailed(posix::fsyncDir(store_.layout().treeDir()));
  if (key && isImageKey(*key)) {
    store_.setTreeStoreSize(*key, 0);
  }
  lock.unlinkKeyFile();
  // The layers only this tree kept (its image is gone) go with it.
  store_.collectLayers();
}

}  // namespace rkt::cas
