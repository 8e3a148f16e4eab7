#include "rkt/core/image/gc.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "pod/sys.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/util/key_lock.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "try_assign.hpp"

namespace rkt::image {
namespace {

// A tree ID (or image ID) as rkt writes it: one line, no path separators. A missing file is "no
// reference" (nullopt): flavors without a stage1 image write no `stage1TreeStoreID`, and an app
// copied into the pod (no overlay) has no `treeStoreID`.
Result<std::optional<std::string>> readOptionalTreeId(int dirFd, const std::string& rel) {
  Result<std::string> text = posix::readFileAt(dirFd, rel);
  if (!text) {
    if (text.error().sysErrno == ENOENT) {
      return std::optional<std::string>{};
    }
    return text.error();
  }
  std::string id(pod::sys::trimSpace(*text));
  if (id.empty() || id.find('/') != std::string::npos || id == "." || id == "..") {
    return Error{"invalid tree store ID in `" + rel + "`", EINVAL};
  }
  return std::optional<std::string>{id};
}

Result<std::vector<std::string>> appNames(const pod::Pod& p) {
  std::vector<std::string> apps;
  const int fd = ::openat(p.dirFd(), pod::layout::kAppsInfo, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return apps;  // no apps (yet)
    }
    return sysError("cannot open `appsinfo`");
  }
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    Error e = sysError("cannot read `appsinfo`");
    ::close(fd);
    return e;
  }
  errno = 0;
  while (const dirent* e = ::readdir(dir)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") {
      apps.push_back(name);
    }
    errno = 0;
  }
  const int readErrno = errno;
  ::closedir(dir);
  if (readErrno != 0) {
    return sysError("cannot read `appsinfo`", readErrno);
  }
  std::sort(apps.begin(), apps.end());
  return apps;
}

// Every tree the pod refers to: its stage1's and each app's.
Result<std::vector<std::string>> podTreeIds(const pod::Pod& p) {
  std::vector<std::string> ids;
  RKT_TRY_ASSIGN(stage1, readOptionalTreeId(p.dirFd(), pod::layout::kStage1TreeStoreId));
  if (stage1) {
    ids.push_back(*stage1);
  }
  RKT_TRY_ASSIGN(apps, appNames(p));
  for (const std::string& app : apps) {
    RKT_TRY_ASSIGN(id, readOptionalTreeId(p.dirFd(), pod::layout::appTreeStoreId(app)));
    if (id) {
      ids.push_back(*id);
    }
  }
  return ids;
}

// A pod that vanished between the listing and the open was collected meanwhile: it refers to
// nothing any more. Any other failure leaves its references unknown.
bool podIsGone(const Error& e) {
  return e.sysErrno == ENOENT;
}

}  // namespace

Result<TreeReferences> referencedTreeIds(const std::string& dataDir, const GcLog& warn) {
  TreeReferences refs;
  pod::PodDirs dirs(dataDir);
  // Every phase: an embryo may already have been given trees, and a garbage pod keeps its
  // overlay mounted until it is deleted.
  Status walked = pod::walkPods(
      dirs, pod::allPhases(),
      [&](pod::Pod& p) {
        if (p.state() == pod::State::Gone) {
          return;
        }
        Result<std::vector<std::string>> ids = podTreeIds(p);
        if (!ids) {
          if (podIsGone(ids.error())) {
            return;
          }
          refs.complete = false;
          warn("cannot get the treestoreIDs of pod " + p.uuid().str() + ": " + ids.error().message +
               "; keeping every tree");
          return;
        }
        refs.ids.insert(ids->begin(), ids->end());
      },
      [&](const pod::Uuid& uuid, const Error& e) {
        if (podIsGone(e)) {
          return;
        }
        refs.complete = false;
        warn("cannot open pod " + uuid.str() + ": " + e.message + "; keeping every tree");
      });
  if (!walked) {
    return walked.error().wrap("failed to get pod handles");
  }
  return refs;
}

Result<ImageReferences> runningImageIds(const std::string& dataDir, const GcLog& warn) {
  ImageReferences refs;
  pod::PodDirs dirs(dataDir);
  Status walked = pod::walkPods(
      dirs, pod::mostPhases(),
      [&](pod::Pod& p) {
        if (p.state() != pod::State::Running) {
          return;
        }
        Result<std::vector<pod::ManifestApp>> apps = pod::readManifestApps(p);
        if (!apps) {
          refs.complete = false;
          warn("cannot get the pod manifest of pod " + p.uuid().str() + ": " +
               apps.error().message + "; keeping every image");
          return;
        }
        for (const pod::ManifestApp& app : *apps) {
          refs.ids.insert(app.imageId);
        }
        // Its stage1 image too, which the pod's manifest does not name.
        Result<std::optional<std::string>> stage1 =
            readOptionalTreeId(p.dirFd(), pod::layout::kStage1ImageId);
        if (!stage1) {
          refs.complete = false;
          warn("cannot get the stage1 image of pod " + p.uuid().str() + ": " +
               stage1.error().message + "; keeping every image");
        } else if (*stage1) {
          refs.ids.insert(**stage1);
        }
      },
      [&](const pod::Uuid& uuid, const Error& e) {
        if (podIsGone(e)) {
          return;
        }
        refs.complete = false;
        warn("cannot open pod " + uuid.str() + ": " + e.message + "; keeping every image");
      });
  if (!walked) {
    return walked.error().wrap("failed to get list of images for running pods");
  }
  return refs;
}

Status gcTrees(const StoreClient& store, const std::string& dataDir, const GcLog& log) {
  if (!store.rendersTrees()) {
    return {};  // a store without a tree store has nothing to sweep
  }
  // Exclusive: no pod is between "chose its trees" and "recorded them" while we look.
  Result<util::KeyLock> lock = util::KeyLock::acquire(dataDir + "/locks", util::kPrepareLockKey,
                                                      util::KeyLock::Mode::Exclusive);
  if (!lock) {
    return lock.error().wrap("cannot get exclusive prepare lock");
  }
  Result<TreeReferences> referenced = referencedTreeIds(dataDir, log);
  if (!referenced) {
    return referenced.error().wrap("cannot get referenced treestoreIDs");
  }
  if (!referenced->complete) {
    return {};  // some pod's trees are unknown: every tree may be one of them (warned above)
  }
  // Trees renders left incomplete too: this is the one place they are swept (docs/store.md).
  Result<std::vector<TreeRecord>> trees = store.listTrees(true);
  if (!trees) {
    return trees.error().wrap("cannot get treestoreIDs from the store");
  }
  for (const TreeRecord& t : *trees) {
    if (referenced->ids.count(t.treeId) != 0) {
      continue;
    }
    const std::string what =
        std::string(t.complete ? "" : "incomplete ") + "treestore \"" + t.treeId + "\"";
    if (Status st = store.removeTree(t.treeId); !st) {
      log("error removing " + what + ": " + st.error().message);
    } else {
      log("removed " + what);
    }
  }
  return {};
}

std::vector<std::string> gcImageCandidates(const std::vector<ImageRecord>& images,
                                           std::chrono::nanoseconds gracePeriod,
                                           const std::set<std::string>& inUse,
                                           std::chrono::system_clock::time_point now) {
  std::vector<const ImageRecord*> byLastUse;
  for (const ImageRecord& r : images) {
    byLastUse.push_back(&r);
  }
  std::stable_sort(
      byLastUse.begin(), byLastUse.end(),
      [](const ImageRecord* a, const ImageRecord* b) { return a->lastUsed < b->lastUsed; });
  const std::int64_t nowNs =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::vector<std::string> out;
  for (const ImageRecord* r : byLastUse) {
    if (nowNs - r->lastUsed <= gracePeriod.count()) {
      break;  // sorted: everything after was used more recently
    }
    const bool used = std::any_of(inUse.begin(), inUse.end(), [&](const std::string& id) {
      return id.rfind(r->key, 0) == 0;  // a pod may name the full 128-digit ID
    });
    if (!used) {
      out.push_back(r->key);
    }
  }
  return out;
}

}  // namespace rkt::image
