#include "rkt/support/oci/import.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "layer.hpp"
#include "rkt/support/archive/aci_writer.hpp"
#include "rkt/support/archive/file.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/remove_tree.hpp"

namespace rkt::oci {
namespace {

// The layer media types: OCI's (and their non-distributable twins) and docker's.
bool isLayerType(const std::string& t) {
  return t == "application/vnd.oci.image.layer.v1.tar" ||
         t == "application/vnd.oci.image.layer.v1.tar+gzip" ||
         t == "application/vnd.oci.image.layer.nondistributable.v1.tar" ||
         t == "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" ||
         t == "application/vnd.docker.image.rootfs.diff.tar.gzip" ||
         t == "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
}

// The work tree of one import; removed whatever happens.
struct WorkDir {
  std::string path;
  ~WorkDir() {
    if (!path.empty()) {
      (void)posix::removeTree(path);
    }
  }
};

// What the import adds itself gets this time (the epoch), so the image's bytes depend on the
// layers only: the same layout gives the same image ID on every fetch.
constexpr std::time_t kAddedTime = 0;

Status setAddedTime(const std::string& path) {
  const struct timespec times[2] = {{kAddedTime, 0}, {kAddedTime, 0}};
  if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    return sysError("cannot set the times of `" + path + "`");
  }
  return {};
}

// docker2aci's /dev: a directory, with rkt's standard links where the image has nothing.
Status addDevLinks(const std::string& rootfs) {
  const std::string dev = rootfs + "/dev";
  struct stat st {};
  if (::lstat(dev.c_str(), &st) != 0) {
    if (::mkdir(dev.c_str(), 0755) != 0) {
      return sysError("cannot create `/dev`");
    }
    st.st_atim = st.st_mtim = {kAddedTime, 0};
  } else if (!S_ISDIR(st.st_mode)) {
    return Error{"`/dev` is not a directory in the image"};
  }
  const struct timespec devTimes[2] = {st.st_atim, st.st_mtim};
  const std::pair<const char*, const char*> links[] = {{"stdin", "/proc/self/fd/0"},
                                                       {"stdout", "/dev/console"},
                                                       {"stderr", "/dev/console"},
                                                       {"fd", "/proc/self/fd"}};
  for (const auto& [name, target] : links) {
    const std::string path = dev + "/" + name;
    if (::lstat(path.c_str(), &st) == 0) {
      continue;
    }
    if (::symlink(target, path.c_str()) != 0) {
      return sysError("cannot create `/dev/" + std::string(name) + "`");
    }
    if (Status s = setAddedTime(path); !s) {
      return s;
    }
  }
  if (::utimensat(AT_FDCWD, dev.c_str(), devTimes, AT_SYMLINK_NOFOLLOW) != 0) {
    return sysError("cannot set the times of `/dev`");
  }
  return {};
}

}  // namespace

namespace {

// What both imports share: the layout opened, the image chosen, its config converted and every
// layer checked against its digest.
struct CheckedImage {
  Layout layout;
  ResolvedImage image;
  schema::ImageManifest manifest;
};

// `hashLayers` false: the layers' digests are left to whoever consumes the blobs (the store
// checks every layer it extracts; hashing 100 MB twice more is what a pull would wait for).
Result<CheckedImage> checkImage(const std::string& layoutDir, const std::string& ref,
                                const ImportContext& ctx, const std::string& what,
                                bool hashLayers) {
  schema::OsArch platform;
  if (ctx.platform) {
    platform = *ctx.platform;
  } else {
    auto host = schema::hostOsArch();
    if (!host) {
      return host.error().wrap(what);
    }
    platform = *host;
  }
  auto layout = Layout::open(layoutDir);
  if (!layout) {
    return layout.error().wrap(what);
  }
  auto image = layout->resolve(ref, platform);
  if (!image) {
    return image.error().wrap(what);
  }
  auto manifest = convertImage(*image, ctx.naming);
  if (!manifest) {
    return manifest.error();
  }
  // Every blob is checked before anything is built from it.
  for (const Descriptor& layer : image->layers) {
    if (!isLayerType(layer.mediaType)) {
      return Error{what + ": layer `" + layer.digest + "` has unsupported media type `" +
                   layer.mediaType + "`"};
    }
    if (!hashLayers) {
      continue;
    }
    if (Status s = layout->verifyBlob(layer); !s) {
      return s.error().wrap(what);
    }
  }
  return CheckedImage{std::move(*layout), std::move(*image), std::move(*manifest)};
}

}  // namespace

Result<LayeredImage> readLayeredImage(const std::string& layoutDir, const std::string& ref,
                                      const ImportContext& ctx) {
  const std::string what = "cannot import OCI image `" + ctx.naming.originalName + "`";
  auto checked = checkImage(layoutDir, ref, ctx, what, false);
  if (!checked) {
    return checked.error();
  }
  LayeredImage out;
  for (const Descriptor& layer : checked->image.layers) {
    auto blob = checked->layout.blobPath(layer.digest);
    if (!blob) {
      return blob.error().wrap(what);
    }
    out.layers.push_back(LayerBlob{layer.digest, *blob, layer.mediaType, layer.size});
  }
  out.manifest = std::move(checked->manifest);
  out.manifestDigest = checked->image.manifest.digest;
  return out;
}

Result<ImportedImage> importOciLayout(const std::string& layoutDir, const std::string& ref,
                                      const ImportContext& ctx) {
  const std::string what = "cannot import OCI image `" + ctx.naming.originalName + "`";
  auto checked = checkImage(layoutDir, ref, ctx, what, true);
  if (!checked) {
    return checked.error();
  }
  Layout* layout = &checked->layout;
  ResolvedImage* image = &checked->image;
  schema::ImageManifest* manifest = &checked->manifest;

  WorkDir work;
  std::string tmpl = ctx.tmpDir + "/oci-work-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    return sysError(what + ": cannot create a work directory in `" + ctx.tmpDir + "`");
  }
  work.path = buf.data();
  const std::string rootfs = work.path + "/rootfs";
  if (::mkdir(rootfs.c_str(), 0755) != 0 || ::chmod(rootfs.c_str(), 0755) != 0) {
    return sysError(what + ": cannot create `" + rootfs + "`");
  }
  for (const Descriptor& layer : image->layers) {
    auto blob = layout->blobPath(layer.digest);
    if (Status s = detail::applyLayer(*blob, rootfs, what + ": layer `" + layer.digest + "`"); !s) {
      return s.error();
    }
  }
  if (Status s = addDevLinks(rootfs); !s) {
    return s.error().wrap(what);
  }
  // The root directory: layers rarely carry an entry for it, and adding to it changed its times.
  if (Status s = setAddedTime(rootfs); !s) {
    return s.error().wrap(what);
  }
  auto json = schema::serializeImageManifest(*manifest);
  if (!json) {
    return json.error().wrap(what);
  }
  auto out = archive::PendingFile::create(ctx.tmpDir, "oci-image-");
  if (!out) {
    return out.error().wrap(what);
  }
  if (Status s = archive::writeAci(out->fd(), work.path, *json, {}, kAddedTime); !s) {
    return s.error().wrap(what);
  }
  ImportedImage result;
  result.manifest = std::move(*manifest);
  result.manifestDigest = image->manifest.digest;
  result.aciPath = out->release();
  return result;
}

Status fillLayeredResult(const std::string& layoutDir, const std::string& ref,
                         const ImportContext& ctx, protocol::fetcher::FetchResult& result) {
  auto image = readLayeredImage(layoutDir, ref, ctx);
  if (!image) {
    return image.error();
  }
  auto json = schema::serializeImageManifest(image->manifest);
  if (!json) {
    return json.error().wrap("cannot import OCI image `" + ctx.naming.originalName + "`");
  }
  result.manifest.text = *json;
  result.layers.clear();
  for (const LayerBlob& l : image->layers) {
    result.layers.push_back(protocol::store::LayerSource{l.digest, l.path, l.mediaType, l.size});
  }
  return {};
}

}  // namespace rkt::oci
