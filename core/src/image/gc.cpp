#include "rkt/core/image/gc.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "pod/sys.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/util/key_lock.hpp"
#include "try_assign.hpp"

namespace rkt::image {
namespace {

// A tree ID as rkt writes it: one line, no path separators.
Result<std::string> readTreeId(int dirFd, const std::string& rel) {
  RKT_TRY_ASSIGN(text, pod::sys::readFileAt(dirFd, rel));
  std::string id(pod::sys::trimSpace(text));
  if (id.empty() || id.find('/') != std::string::npos || id == "." || id == "..") {
    return Error{"invalid tree store ID in `" + rel + "`", EINVAL};
  }
  return id;
}

Result<std::vector<std::string>> appsTreeIds(const pod::Pod& p) {
  std::vector<std::string> ids;
  const int fd = ::openat(p.dirFd(), "appsinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return ids;  // no apps (yet)
    }
    return sysError("cannot open `appsinfo`");
  }
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    Error e = sysError("cannot read `appsinfo`");
    ::close(fd);
    return e;
  }
  std::vector<std::string> apps;
  while (const dirent* e = ::readdir(dir)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") {
      apps.push_back(name);
    }
  }
  ::closedir(dir);
  std::sort(apps.begin(), apps.end());
  for (const std::string& app : apps) {
    RKT_TRY_ASSIGN(id, readTreeId(p.dirFd(), "appsinfo/" + app + "/treeStoreID"));
    ids.push_back(id);
  }
  return ids;
}

}  // namespace

Result<std::set<std::string>> referencedTreeIds(const std::string& dataDir, const GcLog& warn) {
  std::set<std::string> ids;
  pod::PodDirs dirs(dataDir);
  Status walked = pod::walkPods(
      dirs, pod::mostPhases(),
      [&](pod::Pod& p) {
        Result<std::string> stage1 = readTreeId(p.dirFd(), "stage1TreeStoreID");
        if (!stage1) {
          warn("cannot get stage1 treestoreID for pod " + p.uuid().str() + ": " +
               stage1.error().message);
          return;
        }
        Result<std::vector<std::string>> apps = appsTreeIds(p);
        if (!apps) {
          warn("cannot get apps treestoreID for pod " + p.uuid().str() + ": " +
               apps.error().message);
          return;
        }
        ids.insert(*stage1);
        ids.insert(apps->begin(), apps->end());
      },
      [&](const pod::Uuid& uuid, const Error& e) {
        warn("cannot open pod " + uuid.str() + ": " + e.message);
      });
  if (!walked) {
    return walked.error().wrap("failed to get pod handles");
  }
  return ids;
}

Result<std::set<std::string>> runningImageIds(const std::string& dataDir, const GcLog& warn) {
  std::set<std::string> ids;
  pod::PodDirs dirs(dataDir);
  Status walked = pod::walkPods(
      dirs, pod::mostPhases(),
      [&](pod::Pod& p) {
        if (p.state() != pod::State::Running) {
          return;
        }
        Result<std::vector<pod::ManifestApp>> apps = pod::readManifestApps(p);
        if (!apps) {
          warn("cannot get the pod manifest of pod " + p.uuid().str() + ": " +
               apps.error().message);
          return;
        }
        for (const pod::ManifestApp& app : *apps) {
          ids.insert(app.imageId);
        }
      },
      [&](const pod::Uuid& uuid, const Error& e) {
        warn("cannot open pod " + uuid.str() + ": " + e.message);
      });
  if (!walked) {
    return walked.error().wrap("failed to get list of images for running pods");
  }
  return ids;
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
  Result<std::set<std::string>> referenced = referencedTreeIds(dataDir, log);
  if (!referenced) {
    return referenced.error().wrap("cannot get referenced treestoreIDs");
  }
  // Trees renders left incomplete too: this is the one place they are swept (docs/store.md).
  Result<std::vector<TreeRecord>> trees = store.listTrees(true);
  if (!trees) {
    return trees.error().wrap("cannot get treestoreIDs from the store");
  }
  for (const TreeRecord& t : *trees) {
    if (referenced->count(t.treeId) != 0) {
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
