// store-cas/archive.so: support/archive (and so libarchive) for the cas store's import and
// render, and the tree hash (libcrypto) for render and verify, loaded by store-cas.so on first use
// (src/archive_helper.hpp). Not a plugin: it has no descriptor, and it lives in a subdirectory the
// plugin loader does not scan.
#include <sys/stat.h>

#include <rkt/support/archive/aci_writer.hpp>
#include <rkt/support/oci/layer_tree.hpp>
#include <rkt/support/oci/layout.hpp>
#include <rkt/support/posix/errno_text.hpp>
#include <rkt/support/posix/overlay_layers.hpp>

#include "archive_helper.hpp"

namespace {

rkt::Result<std::uint64_t> extractLayer(const std::string& blob, const std::string& digest,
                                        std::int64_t size, const std::string& dir,
                                        const std::vector<std::string>& lowersTopFirst,
                                        const std::string& context) {
  rkt::oci::Descriptor d;
  d.digest = digest;
  d.size = size;
  if (rkt::Status s = rkt::oci::verifyFile(blob, d, "layer `" + digest + "`"); !s) {
    return s.error().wrap(context);
  }
  auto stats =
      rkt::oci::extractLayerTree(blob, dir, lowersTopFirst, context + ": layer `" + digest + "`");
  if (!stats) {
    return stats.error();
  }
  return stats->bytes;
}

rkt::Status writeSquashedAci(int fd, const std::vector<std::string>& layersTopFirst,
                             const std::string& manifestJson, const std::string& workDir) {
  const std::string rootfs = workDir + "/rootfs";
  if (::mkdir(rootfs.c_str(), 0755) != 0) {
    return rkt::sysError("cannot create `" + rootfs + "`");
  }
  if (rkt::Status s = rkt::posix::mergeLayers(layersTopFirst, rootfs); !s) {
    return s;
  }
  // The manifest entry's time is the epoch, as the conversion's: the same image, the same bytes.
  return rkt::archive::writeAci(fd, workDir, manifestJson, {}, 0);
}

const rkt::cas::ArchiveHelper kHelper{
    [](int fd, const std::string& name, const std::string& tempDir,
       const rkt::archive::ImportOptions& options) {
      return rkt::archive::importAciFd(fd, name, tempDir, options);
    },
    [](const std::string& archivePath, const std::string& targetDir,
       const rkt::archive::ExtractOptions& options) {
      return rkt::archive::extractTar(archivePath, targetDir, options);
    },
    [](const std::string& treeDir, const rkt::archive::FileDigests* known) {
      return rkt::cas::hashTree(treeDir, known);
    },
    &extractLayer,
    &rkt::oci::addDevLinksAbove,
    &writeSquashedAci};

}  // namespace

extern "C" __attribute__((visibility("default"))) const rkt::cas::ArchiveHelper*
rkt_cas_archive_helper_v1() {
  return &kHelper;
}
