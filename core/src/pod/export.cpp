#include "rkt/core/pod/export.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include "pod/mounts.hpp"
#include "pod/sys.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/util/output_path.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "stage0/overlay_mount.hpp"
#include "util/archive_module.hpp"

namespace rkt::pod {
namespace {

bool fileExistsAt(int dirFd, const std::string& rel) {
  struct stat st {};
  return ::fstatat(dirFd, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

// The overlay of the app's tree and its upper dir, mounted for the export's duration on a
// temporary directory under $DATA/tmp, removed (unmounted first) on destruction.
class OverlayView {
 public:
  ~OverlayView() {
    if (mounted_)
      ::umount2(rootfs().c_str(), MNT_DETACH);
    if (!dir_.empty())
      (void)posix::removeTree(dir_);  // best effort: a leftover temp dir is harmless
  }

  // With `range` (--private-users), the tree is seen through the pod's range as run saw it: an
  // idmapped lower where the kernel allows it (else the plain one, which serves a pod whose
  // run chowned the merged tree into the range).
  Status mount(const Pod& pod, const std::string& app, const std::string& dataDir,
               const std::optional<UidRange>& range) {
    Result<std::string> id = posix::readFileAt(pod.dirFd(), layout::appTreeStoreId(app));
    if (!id)
      return id.error().wrap("cannot find the tree of app `" + app + "`");
    std::string treeId(sys::trimSpace(*id));
    if (treeId.empty() || treeId.find('/') != std::string::npos || treeId == "..")
      return Error{"invalid tree store ID of app `" + app + "`", EINVAL};
    const std::string lower = dataDir + "/cas/tree/" + treeId + "/rootfs";
    const std::string upper = pod.path() + "/" + layout::overlayUpper(treeId, app);
    const std::string work = pod.path() + "/" + layout::overlayWork(treeId, app);
    for (const std::string& p : {lower, upper, work}) {
      struct stat st {};
      if (::stat(p.c_str(), &st) != 0)
        return sysError("cannot use `" + p + "`");
    }
    const std::string tmp = dataDir + "/tmp";
    if (::mkdir(tmp.c_str(), 0750) != 0 && errno != EEXIST)
      return sysError("unable to create temp directory `" + tmp + "`");
    std::string templ = tmp + "/rkt-export-" + pod.uuid().str() + "XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr)
      return sysError("unable to create export temp directory");
    dir_ = templ;
    if (::mkdir(rootfs().c_str(), 0750) != 0)
      return sysError("unable to create rootfs directory inside temp directory");
    stage0::OverlayLayers layers{lower, upper, work, {}};
    // An image kept as layers: the tree lists them, top first (as the cas store keeps them).
    if (Result<std::string> list =
            posix::readFileAt(AT_FDCWD, dataDir + "/cas/tree/" + treeId + "/layers")) {
      std::istringstream lines(*list);
      for (std::string digest; std::getline(lines, digest);) {
        if (digest.rfind("sha256:", 0) == 0 && digest.find('/') == std::string::npos)
          layers.lowerBelow.push_back(dataDir + "/cas/layers/sha256/" + digest.substr(7));
      }
    }
    if (range) {
      Result<bool> idmapped =
          stage0::mountOverlayInRange(layers, dir_ + "/lower", *range, rootfs());
      if (!idmapped)
        return idmapped.error().wrap("couldn't mount directory at " + rootfs());
      lowerShifted_ = *idmapped;
    } else if (Status s = stage0::mountOverlay(layers, rootfs()); !s) {
      return s.error().wrap("couldn't mount directory at " + rootfs());
    }
    mounted_ = true;
    return {};
  }

  const std::string& dir() const { return dir_; }
  /// Whether the image's files are seen shifted into the pod's range (idmapped lower).
  bool lowerShifted() const { return lowerShifted_; }
  std::string rootfs() const { return dir_ + "/rootfs"; }

 private:
  std::string dir_;
  bool mounted_ = false;
  bool lowerShifted_ = false;
};

}  // namespace

Result<std::uint32_t> unshiftId(const UidRange& range, std::uint32_t id) {
  if (id < range.shift ||
      static_cast<std::uint64_t>(id) >= static_cast<std::uint64_t>(range.shift) + range.count) {
    return Error{"id " + std::to_string(id) + " is outside the pod's range", ERANGE};
  }
  return id - range.shift;
}

// The archive is written by rkt-archive.so, loaded here on first use.
Status writeAci(int fd, const std::string& rootDir, const std::string& manifest,
                const std::optional<UidRange>& range) {
  Result<const util::ArchiveModule*> module = util::archiveModule();
  if (!module)
    return module.error();
  return (*module)->writeAci(fd, rootDir, manifest, range, &unshiftId);
}

Status exportApp(const Pod& pod, const std::string& app, const ExportOptions& options) {
  if (pod.dirFd() < 0)
    return sysError("cannot export pod `" + pod.uuid().str() + "`", ENOENT);
  Result<std::string> manifest = posix::readFileAt(pod.dirFd(), layout::appImageManifest(app));
  if (!manifest)
    return manifest.error().wrap("unable to read Image Manifest");
  // Written as rkt writes it: the parsed manifest marshalled again, compact.
  Result<schema::ImageManifest> parsed = schema::parseImageManifest(*manifest);
  if (!parsed)
    return parsed.error().wrap("unable to load Image Manifest");
  Result<std::string> serialized = schema::serializeImageManifest(*parsed);
  if (!serialized)
    return serialized.error().wrap("unable to load Image Manifest");

  Result<std::optional<UidRange>> recorded = readPrivateUsers(pod.dirFd());
  if (!recorded)
    return recorded.error();
  const std::optional<UidRange> range = *recorded;

  OverlayView overlay;
  std::string root = pod.path() + "/" + layout::podStage2AppDir(app);
  if (fileExistsAt(pod.dirFd(), layout::kOverlayPrepared)) {
    if (Status s = overlay.mount(pod, app, options.dataDir, range); !s)
      return s;
    root = overlay.dir();
  } else {
    Result<std::vector<mounts::MountInfo>> table = mounts::readMountInfo();
    if (!table)
      return table.error().wrap("error parsing mountpoints");
    char resolved[PATH_MAX];
    const std::string appRootfs = root + "/rootfs";
    std::string real = ::realpath(appRootfs.c_str(), resolved) ? resolved : appRootfs;
    for (const mounts::MountInfo& m : *table) {
      if (m.mountPoint != real && mounts::isAtOrBelow(m.mountPoint, real)) {
        return Error{
            "pod has remaining mountpoints. Only pods using overlayfs or with no "
            "mountpoints can be exported",
            EBUSY};
      }
    }
  }

  // Written beside the target and renamed over it: never through a symlink planted there.
  const Error exists{"error building aci: target file exists (try --overwrite)", EEXIST};
  Result<util::OutputFile> out = util::OutputFile::create(options.output, options.overwrite);
  if (!out) {
    if (out.error().sysErrno == EEXIST)
      return exists;
    return out.error().wrap("error building aci: unable to open target " + options.output);
  }
  if (Status written = writeAci(out->fd(), root, *serialized, range); !written) {
    // A pod whose run saw its image through an idmapped lower, exported where idmapped
    // mounts are refused: the image's own files are outside the pod's range.
    if (range && written.error().sysErrno == ERANGE && !overlay.dir().empty() &&
        !overlay.lowerShifted())
      return written.error().wrap(
          "error building aci (no idmapped mounts here to see the image's files in the pod's "
          "user namespace)");
    return written.error().wrap("error building aci");
  }
  if (Status placed = out->commit(); !placed)
    return placed.error().sysErrno == EEXIST
               ? exists
               : placed.error().wrap("unable to close image " + options.output);
  return {};
}

}  // namespace rkt::pod
