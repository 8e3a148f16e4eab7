// What `rkt prepare` and `rkt run` share (internal to the engine): the stage1 the flags select
// and the pod preparation itself.
#ifndef RKT_CORE_SRC_ENGINE_PREPARE_POD_HPP
#define RKT_CORE_SRC_ENGINE_PREPARE_POD_HPP

#include <memory>
#include <optional>
#include <vector>

#include "rkt/core/engine.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/stage0/pod_setup.hpp"
#include "rkt/core/stage1/stage1.hpp"

namespace rkt::engine {

/// A pod preparePod made: "preparing", holding its lock, and the stage1 that is to run it.
struct PreparedPod {
  std::unique_ptr<stage1::Stage1> stage1;
  pod::Pod pod;
  std::vector<stage0::PreparedApp> apps;
  bool overlay = true;  ///< the apps' roots are overlay mounts (else copies)
  std::optional<stage0::Stage1Image> stage1Image;  ///< the stage1 image, when there is one
};

/// The quick check of `key`'s rendered tree before a pod uses it: a tree that no longer matches
/// its recorded hash is refused with rkt's words (`tree cache verification failed for image
/// …`), not repaired behind the user's back; `rkt image verify` repairs it. A store from
/// before ABI 1.4 repairs it itself, which is let through.
Status checkTree(const image::StoreClient& store, const std::string& key);

/// The path of tree `treeId` as the store lists it, when it still has it; with `lowerDirs`,
/// also the layer directories it stacks (an image kept as layers).
std::optional<std::string> recordedTreePath(const image::StoreClient& store,
                                            const std::string& treeId,
                                            std::vector<std::string>* lowerDirs = nullptr);

/// What the pod is prepared for: `rkt prepare` accepts a pod manifest without apps (as rkt),
/// `rkt run` refuses it before anything is created.
enum class PodPurpose { kPrepare, kRun };

/// rkt's run steps 1–6: opens the store, loads the stage1 flavor the options (or stage1.d, or
/// the build default) select, finds the images, creates the pod (embryo -> prepare, locked),
/// writes --uuid-file-save, renders the trees and writes the pod directory. `durability`: a
/// pod run at once needs no fsync on its way to run/ (see pod::Durability), a prepared one
/// must survive a crash.
Result<PreparedPod> preparePod(Engine& engine, const PrepareOptions& options,
                               pod::Durability durability, PodPurpose purpose);

}  // namespace rkt::engine

#endif  // RKT_CORE_SRC_ENGINE_PREPARE_POD_HPP
