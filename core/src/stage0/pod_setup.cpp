#include "rkt/core/stage0/pod_setup.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "rkt/core/pod/layout.hpp"
#include "rkt/core/stage1/stage1_client.hpp"
#include "rkt/core/util/copy_tree.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/id_shift.hpp"
#include "rkt/support/posix/overlay_layers.hpp"
#include "rkt/support/posix/unique_fd.hpp"
#include "stage0/overlay_mount.hpp"

namespace rkt::stage0 {
namespace {

constexpr long kAufsMagic = 0x61756673;
constexpr long kZfsMagic = 0x2fc12fc1;
constexpr long kOverlayMagic = 0x794c7630;

Status mkdirIfMissing(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
    return sysError("cannot create `" + path + "`");
  return {};
}

// mkdir -p, from the deepest existing ancestor down: on the hot path the parents mostly exist,
// so this costs one mkdir(2) per directory actually created.
Status mkdirAll(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) == 0 || errno == EEXIST)
    return {};
  if (errno != ENOENT)
    return sysError("cannot create `" + path + "`");
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0)
    return sysError("cannot create `" + path + "`");
  if (Status s = mkdirAll(path.substr(0, slash), mode); !s)
    return s;
  return mkdirIfMissing(path, mode);
}

Status writeFile(const std::string& path, const std::string& data, mode_t mode) {
  const posix::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd.valid() || !posix::writeAll(fd.get(), data))
    return sysError("cannot write `" + path + "`");
  // The umask must not narrow rkt's documented modes.
  ::fchmod(fd.get(), mode);
  return {};
}

Result<std::string> readFile(const std::string& path) {
  return posix::readFileAt(AT_FDCWD, path, /*followSymlink=*/true);
}

// The app's overlay for a pod with `range`: the tree seen through an idmapped lower; without
// idmapped mounts, every entry of the merged tree chowned into the range (overlayfs copies each
// one up, as nspawn's --private-users-ownership=chown would), with a notice.
Status mountAppOverlayInRange(const std::string& podDir, const PreparedApp& app,
                              const OverlayLayers& layers, const pod::UidRange& range,
                              const std::string& rootfs, const SetupNotice& notice) {
  const std::string idmapPoint = podDir + "/" + pod::layout::overlayLower(app.treeId, app.name);
  if (Status s = mkdirAll(idmapPoint.substr(0, idmapPoint.find_last_of('/')), 0750); !s)
    return s;
  Result<bool> idmapped = mountOverlayInRange(layers, idmapPoint, range, rootfs);
  if (!idmapped)
    return idmapped.error();
  if (*idmapped)
    return {};
  if (notice)
    notice("no idmapped mounts for the tree of app `" + app.name +
           "`: copying it up to shift its owners into the pod's user namespace");
  if (Status s = posix::shiftOwnership(rootfs, range.shift); !s)
    return s.error().wrap("cannot shift the tree of app `" + app.name + "`");
  return {};
}

// stage1/manifest, stage1TreeStoreID, stage1ImageID and, for an image that is the stage1
// rootfs in a pod without overlay, the copy of its rootfs.
Status writeStage1Image(const std::string& pod, const Stage1Image& image, bool useOverlay) {
  namespace layout = pod::layout;
  if (Status s = writeFile(pod + "/" + layout::kStage1Manifest, image.manifestJson, 0640); !s)
    return s;
  if (Status s = writeFile(pod + "/" + layout::kStage1TreeStoreId, image.treeId, 0640); !s)
    return s;
  if (Status s = writeFile(pod + "/" + layout::kStage1ImageId, image.imageId, 0640); !s)
    return s;
  if (!image.isRootfs || useOverlay)
    return {};
  const std::string rootfs = pod + "/" + layout::kStage1Rootfs;
  if (::rmdir(rootfs.c_str()) != 0)
    return sysError("cannot replace `" + rootfs + "`");
  if (Result<util::CopyStats> c = util::copyTree(image.treePath + "/rootfs", rootfs); !c)
    return c.error();
  return {};
}

}  // namespace

std::string overlayUnusableReason(const std::string& dataDir) {
  std::ifstream fs("/proc/filesystems");
  std::string line;
  bool found = false;
  while (std::getline(fs, line)) {
    if (line == "nodev\toverlay") {
      found = true;
      break;
    }
  }
  if (!found)
    return "overlay filesystem is not supported by the kernel";
  struct statfs st {};
  if (::statfs(dataDir.c_str(), &st) == 0) {
    const long type = static_cast<long>(st.f_type);
    if (type == kAufsMagic)
      return "unsupported filesystem: aufs";
    if (type == kZfsMagic)
      return "unsupported filesystem: zfs";
    if (type == kOverlayMagic)
      return "unsupported filesystem: overlayfs (an overlay cannot have its upper layer there)";
  }
  return "";
}

Status preparePodDir(const PrepareSpec& spec) {
  const std::string& pod = spec.podDir;
  namespace layout = pod::layout;
  for (const char* dir : {layout::kAppsInfo, layout::kStage1Dir, layout::kStage1Rootfs}) {
    if (Status s = mkdirIfMissing(pod + "/" + dir, 0750); !s)
      return s;
  }
  const bool imageRootfs = spec.stage1Image && spec.stage1Image->isRootfs;
  if (spec.stage1Image) {
    if (Status s = writeStage1Image(pod, *spec.stage1Image, spec.useOverlay); !s)
      return s;
  }
  // rkt's stage1 images write `flavor` themselves.
  if (!imageRootfs) {
    if (Status s = stage1::writePodFlavor(pod, spec.flavor); !s)
      return s;
  }
  for (const PreparedApp& app : spec.apps) {
    if (Status s = mkdirIfMissing(pod + "/" + layout::appInfoDir(app.name), 0750); !s)
      return s;
    if (Status s =
            writeFile(pod + "/" + layout::appImageManifest(app.name), app.manifestJson, 0640);
        !s)
      return s;
    if (Status s = writeFile(pod + "/" + layout::appImageId(app.name), app.imageId, 0640); !s)
      return s;
    if (spec.useOverlay) {
      if (Status s = writeFile(pod + "/" + layout::appTreeStoreId(app.name), app.treeId, 0640); !s)
        return s;
    } else {
      const std::string stage2 = pod + "/" + layout::podStage2AppDir(app.name);
      if (Status s = mkdirAll(stage2, 0750); !s)
        return s;
      if (Status s = writeFile(
              pod + "/" + layout::kStage1Rootfs + "/" + layout::stage2AppManifest(app.name),
              app.manifestJson, 0640);
          !s)
        return s;
      // The rootfs gets the tree's rootfs attributes, as `cp -a` did (rkt extracted the ACI).
      const std::string rootfs = pod + "/" + layout::podStage2AppRootfs(app.name);
      if (app.lowerDirs.empty()) {
        if (Result<util::CopyStats> c = util::copyTree(app.treePath + "/rootfs", rootfs); !c)
          return c.error();
      } else {
        // An image kept as layers without overlay: the merged tree overlayfs would show.
        std::vector<std::string> stack{app.treePath + "/rootfs"};
        stack.insert(stack.end(), app.lowerDirs.begin(), app.lowerDirs.end());
        if (::mkdir(rootfs.c_str(), 0755) != 0)
          return sysError("cannot create `" + rootfs + "`");
        if (Status s = posix::mergeLayers(stack, rootfs); !s)
          return s.error();
      }
      // rkt rendered the copy shifted: the pod's root owns it (an idmapped bind instead would
      // store what the app creates unshifted).
      if (spec.privateUsers) {
        if (Status s = posix::shiftOwnership(rootfs, spec.privateUsers->shift); !s)
          return s;
      }
    }
  }
  if (Status s = writeFile(pod + "/" + layout::kPodLock, "", 0600); !s)
    return s;
  if (Status s = writeFile(pod + "/" + layout::kPodManifest, spec.manifestJson, 0640); !s)
    return s;
  if (Status s = writeFile(pod + "/" + layout::kPodCreated, "", 0640); !s)
    return s;
  if (spec.useOverlay) {
    if (Status s = writeFile(pod + "/" + layout::kOverlayPrepared, "", 0640); !s)
      return s;
  }
  if (spec.privateUsers) {
    if (Status s = writeFile(pod + "/" + layout::kPrivateUsersPrepared,
                             pod::formatUidRange(*spec.privateUsers), 0640);
        !s)
      return s;
  }
  return {};
}

Result<std::vector<PreparedApp>> readPreparedApps(const std::string& podDir,
                                                  const std::vector<std::string>& appNames) {
  std::vector<PreparedApp> apps;
  for (const std::string& name : appNames) {
    PreparedApp app;
    app.name = name;
    Result<std::string> manifest = readFile(podDir + "/" + pod::layout::appImageManifest(name));
    if (!manifest)
      return manifest.error();
    app.manifestJson = std::move(*manifest);
    if (Result<std::string> id = readFile(podDir + "/" + pod::layout::appImageId(name)))
      app.imageId = *id;
    if (Result<std::string> tree = readFile(podDir + "/" + pod::layout::appTreeStoreId(name)))
      app.treeId = *tree;
    apps.push_back(std::move(app));
  }
  return apps;
}

Result<std::optional<Stage1Image>> readStage1Image(const std::string& podDir) {
  namespace layout = pod::layout;
  Result<std::string> id = readFile(podDir + "/" + layout::kStage1ImageId);
  if (!id && id.error().sysErrno == ENOENT)
    return std::optional<Stage1Image>();
  if (!id)
    return id.error().wrap("cannot read the pod's stage1 image");
  Stage1Image image;
  image.imageId = *id;
  Result<std::string> tree = readFile(podDir + "/" + layout::kStage1TreeStoreId);
  if (!tree)
    return tree.error().wrap("cannot read the pod's stage1 tree");
  image.treeId = *tree;
  Result<std::string> manifest = readFile(podDir + "/" + layout::kStage1Manifest);
  if (!manifest)
    return manifest.error().wrap("cannot read the pod's stage1 manifest");
  image.manifestJson = *manifest;
  return std::optional<Stage1Image>(std::move(image));
}

Status enterPrivateMountNamespace() {
  if (::unshare(CLONE_NEWNS) != 0)
    return sysError("cannot create a mount namespace for the pod");
  // Slaves of the host's mounts, as rkt's stage1 made them: a mount the host makes later under
  // a volume's source reaches the pod, and nothing the pod mounts or unmounts reaches the host.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
    return sysError("cannot make the pod's mounts slaves of the host's");
  return {};
}

Status setupPodForRun(const std::string& podDir, const std::vector<PreparedApp>& apps, bool overlay,
                      const DnsConfig& dns, const std::optional<pod::UidRange>& privateUsers,
                      const SetupNotice& notice, const std::optional<Stage1Image>& stage1Image) {
  namespace layout = pod::layout;
  const std::string s1 = podDir + "/" + layout::kStage1Rootfs;
  const bool imageRootfs = stage1Image && stage1Image->isRootfs;
  if (overlay && imageRootfs) {
    // As rkt's stage0: the stage1 image's rootfs first, the apps' overlays then inside it.
    const Stage1Image& image = *stage1Image;
    const OverlayLayers layers{image.treePath + "/rootfs",
                               podDir + "/" + layout::overlayStage1Rootfs(image.treeId),
                               podDir + "/" + layout::overlayDir(image.treeId) + "/work",
                               {}};
    for (const std::string& dir : {layers.upper, layers.work}) {
      if (Status s = mkdirAll(dir, 0750); !s)
        return s;
    }
    struct stat lowerRoot {};
    if (::stat(layers.lower.c_str(), &lowerRoot) != 0)
      return sysError("cannot read `" + layers.lower + "`");
    if (::chown(layers.upper.c_str(), lowerRoot.st_uid, lowerRoot.st_gid) != 0 ||
        ::chmod(layers.upper.c_str(), lowerRoot.st_mode & 07777) != 0)
      return sysError("problem preparing overlay directories in `" + layers.upper + "`");
    if (Status s = mountOverlay(layers, s1); !s)
      return s;
  }
  if (imageRootfs) {
    // The status directory exists in the stage1's own layer before the stage1 runs, as rkt.
    if (Status s = mkdirAll(s1 + "/" + layout::kAppStatusDir, 0755); !s)
      return s;
  }
  if (overlay) {
    for (const PreparedApp& app : apps) {
      const std::string rootfs = s1 + "/" + layout::stage2AppRootfs(app.name);
      const std::string upper = podDir + "/" + layout::overlayUpper(app.treeId, app.name);
      const std::string work = podDir + "/" + layout::overlayWork(app.treeId, app.name);
      for (const std::string& dir : {rootfs, upper, work}) {
        if (Status s = mkdirAll(dir, 0750); !s)
          return s;
      }
      if (Status s =
              writeFile(s1 + "/" + layout::stage2AppManifest(app.name), app.manifestJson, 0640);
          !s)
        return s;
      // The merged root takes its owner and mode from the upper directory: copy them from the
      // image's root, or a non-root app could not even look up its own files.
      struct stat lowerRoot {};
      if (::stat((app.treePath + "/rootfs").c_str(), &lowerRoot) != 0)
        return sysError("cannot read `" + app.treePath + "/rootfs`");
      const uid_t shift = privateUsers ? privateUsers->shift : 0;
      if (::chown(upper.c_str(), lowerRoot.st_uid + shift, lowerRoot.st_gid + shift) != 0 ||
          ::chmod(upper.c_str(), lowerRoot.st_mode & 07777) != 0)
        return sysError("problem preparing overlay directories in `" + upper + "`");
      const OverlayLayers layers{app.treePath + "/rootfs", upper, work, app.lowerDirs};
      if (Status s = privateUsers ? mountAppOverlayInRange(podDir, app, layers, *privateUsers,
                                                           rootfs, notice)
                                  : mountOverlay(layers, rootfs);
          !s)
        return s;
    }
  }
  if (writesResolvConf(dns) || dns.hostsMode == "stage0") {
    if (Status s = mkdirAll(s1 + "/etc", 0755); !s)
      return s;
  }
  if (writesResolvConf(dns)) {
    if (Status s = writeFile(s1 + "/" + layout::kStage0ResolvConf, resolvConfText(dns), 0644); !s)
      return s;
  }
  if (dns.hostsMode == "stage0") {
    std::string fallback;
    if (Result<std::string> f = readFile(s1 + "/" + layout::kHostsFallback))
      fallback = *f;
    if (Status s = writeFile(s1 + "/" + layout::kStage0Hosts, hostsText(dns, fallback), 0644); !s)
      return s;
  }
  return {};
}

void becomeProcessGroupLeader() {
  if (::getpgrp() == ::getpid())
    return;
  const int tty = ::open("/dev/tty", O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (tty >= 0) {
    const bool foreground = ::tcgetpgrp(tty) == ::getpgrp();
    ::close(tty);
    if (foreground)
      return;
  }
  ::setpgid(0, 0);
}

}  // namespace rkt::stage0
