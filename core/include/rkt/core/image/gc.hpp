// `rkt image gc` (rkt-notes §1.23, §4.9): which trees and images pods still use, the tree sweep
// under the prepare lock, and the images old enough to go.
#ifndef RKT_CORE_IMAGE_GC_HPP
#define RKT_CORE_IMAGE_GC_HPP

#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "rkt/core/image/store_client.hpp"
#include "rkt/core/result.hpp"

namespace rkt::image {

using GcLog = std::function<void(const std::string&)>;

/// What pods refer to. `complete` is false when some pod's references could not be read: a
/// sweep must then keep everything (fail safe), since any tree or image may be one of them.
struct References {
  std::set<std::string> ids;
  bool complete = true;
};
using TreeReferences = References;
using ImageReferences = References;

/// Tree store IDs that pods in any phase refer to (embryo to garbage, until a pod is deleted):
/// their `stage1TreeStoreID` and every `appsinfo/<app>/treeStoreID`, whichever exist (flavors
/// without a stage1 image write no `stage1TreeStoreID`; apps copied without overlay have no
/// tree). A pod whose files cannot be read is reported through `warn`, naming the pod, and makes
/// the result incomplete; a pod that vanished meanwhile is skipped.
Result<TreeReferences> referencedTreeIds(const std::string& dataDir, const GcLog& warn);

/// Image IDs of the apps of running pods (as their pod manifests name them) and of their stage1
/// images (`stage1ImageID`); incomplete when a running pod's manifest or stage1ImageID cannot be
/// read.
Result<ImageReferences> runningImageIds(const std::string& dataDir, const GcLog& warn);

/// Step 1 of `rkt image gc`: takes $DATA/locks/prepareLock exclusively (no pod can start
/// preparing meanwhile) and removes every rendered tree no pod refers to, and every tree a
/// render left incomplete (`listTrees(true)`); when the references are incomplete it removes
/// nothing. Reports each `removed [incomplete] treestore "<id>"` (or `error removing
/// [incomplete] treestore "<id>": …`, which names the entry that could not be removed) through
/// `log`; only a failure to lock or to list is an error.
Status gcTrees(const StoreClient& store, const std::string& dataDir, const GcLog& log);

/// Step 2: the keys of images last used more than `gracePeriod` before `now` and not used by a
/// running pod (`inUse` holds image IDs, full or store keys), least recently used first.
std::vector<std::string> gcImageCandidates(
    const std::vector<ImageRecord>& images, std::chrono::nanoseconds gracePeriod,
    const std::set<std::string>& inUse,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_GC_HPP
