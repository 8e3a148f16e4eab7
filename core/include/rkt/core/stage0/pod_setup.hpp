// Stage0's work on a pod directory (rkt-notes §2.7, §3.2, §3.5): what `rkt prepare` writes into
// $POD, and what `rkt run` / `rkt run-prepared` set up right before handing the pod to the stage1
// plugin.
//
//   $POD/pod                         the pod manifest (0640)
//   $POD/pod.lck, pod-created        empty; pod-created's mtime is the creation time
//   $POD/flavor                      symlink -> stage1 flavor name (not for the `aci` flavor:
//                                    rkt's stage1 images write it themselves)
//   $POD/stage1/manifest             the stage1 image's manifest, when there is a stage1 image
//   $POD/stage1TreeStoreID           its rendered tree; $POD/stage1ImageID its store key
//   $POD/stage1/rootfs               the `aci` flavor: the stage1 image's rootfs (a copy
//                                    (--no-overlay) or, at run time, an overlay with upper/work
//                                    $POD/overlay/<treeID>/{upper,work})
//   $POD/overlay-prepared            marker: app rootfs are overlay mounts
//   $POD/appsinfo/<app>/manifest     the image manifest
//   $POD/appsinfo/<app>/id           the image ID (store key)
//   $POD/appsinfo/<app>/treeStoreID  overlay: the rendered tree in the tree store
//   $POD/private-users-prepared      --private-users: "<shift>:<count>" (pod/private_users.hpp)
//   $POD/stage1/rootfs/opt/stage2/<app>/rootfs
//                                    the app's root: a copy (--no-overlay) or, at run time, an
//                                    overlay (lower = tree rootfs, upper/work under
//                                    $POD/overlay/<treeID>/{upper,work}/<app>)
#ifndef RKT_CORE_STAGE0_POD_SETUP_HPP
#define RKT_CORE_STAGE0_POD_SETUP_HPP

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rkt/core/pod/private_users.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/stage0/dns.hpp"

namespace rkt::stage0 {

/// One app's image as prepared: the store's key, manifest text and rendered tree.
struct PreparedApp {
  std::string name;          ///< app name in the pod manifest
  std::string imageId;       ///< store key
  std::string manifestJson;  ///< image manifest as stored
  std::string treeId;        ///< deps-sha512-…
  std::string treePath;      ///< directory holding manifest and rootfs/
  /// An image kept as layers: its layer directories, top first, below the tree's rootfs/
  /// (the store's render result): the app's rootfs stacks them all.
  std::vector<std::string> lowerDirs;
};

/// Why overlayfs cannot be used for pods under `dataDir` (rkt's checks: overlay in
/// /proc/filesystems, data directory not on aufs/zfs/overlayfs), or "" when it can.
std::string overlayUnusableReason(const std::string& dataDir);

/// The pod's stage1 image, as prepared.
struct Stage1Image {
  std::string imageId;       ///< store key
  std::string manifestJson;  ///< image manifest as stored
  std::string treeId;
  std::string treePath;  ///< directory holding manifest and rootfs/
  /// Its rootfs is the pod's stage1 rootfs (the `aci` flavor); the built-in flavors build their
  /// own and only record the image.
  bool isRootfs = false;
};

struct PrepareSpec {
  std::string podDir;        ///< $POD (in prepare/)
  std::string manifestJson;  ///< the `pod` file's bytes
  std::string flavor;
  bool useOverlay = true;
  std::vector<PreparedApp> apps;
  /// --private-users: recorded, and the --no-overlay copies are owned by the shifted ids.
  std::optional<pod::UidRange> privateUsers;
  std::optional<Stage1Image> stage1Image;
};

/// Writes the pod directory. Without overlay the trees are copied into the stage1 rootfs now.
Status preparePodDir(const PrepareSpec& spec);

/// The apps of a prepared pod (names from its manifest, image data from appsinfo/).
Result<std::vector<PreparedApp>> readPreparedApps(const std::string& podDir,
                                                  const std::vector<std::string>& appNames);

/// The stage1 image recorded in a prepared pod (stage1ImageID, stage1TreeStoreID,
/// stage1/manifest), or nullopt when it has none; treePath is left empty.
Result<std::optional<Stage1Image>> readStage1Image(const std::string& podDir);

/// Moves the calling process into a new mount namespace whose mounts do not propagate to the
/// host (unshare(CLONE_NEWNS) + MS_REC|MS_SLAVE on /: the host's later mounts still reach it, as
/// in rkt), so a pod's mounts vanish with it.
Status enterPrivateMountNamespace();

/// Lines for the user about how the pod was set up (rkt's stage0 notices).
using SetupNotice = std::function<void(const std::string& line)>;

/// Run-time setup in $POD (which is now in run/): with overlay, the stage1 image's rootfs on
/// stage1/rootfs first when it is one (needs its treePath; rkt/status is created in its upper
/// layer); overlay mounts for every app when the pod was
/// prepared with overlay (needs each app's treePath), and the stage0 DNS files. With
/// `privateUsers`, each overlay's lower is the tree's rootfs bound idmapped (0 → shift) and its
/// upper is owned by the shifted ids, so what the app writes is owned by shift+uid on the host.
/// Where the kernel or the tree's filesystem has no idmapped mounts, the merged tree is chowned
/// into the range instead (every file copied up), said through `notice`.
Status setupPodForRun(const std::string& podDir, const std::vector<PreparedApp>& apps, bool overlay,
                      const DnsConfig& dns,
                      const std::optional<pod::UidRange>& privateUsers = std::nullopt,
                      const SetupNotice& notice = {},
                      const std::optional<Stage1Image>& stage1Image = std::nullopt);

/// Makes the caller a process-group leader (setpgid(0, 0)) unless it is one already or owns the
/// foreground of its terminal through its group (an interactive job keeps its terminal).
void becomeProcessGroupLeader();

}  // namespace rkt::stage0

#endif  // RKT_CORE_STAGE0_POD_SETUP_HPP
