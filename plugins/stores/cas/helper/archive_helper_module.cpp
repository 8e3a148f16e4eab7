// store-cas/archive.so: support/archive (and so libarchive) for the cas store's import and
// render, and the tree hash (libcrypto) for render and verify, loaded by store-cas.so on first use
// (src/archive_helper.hpp). Not a plugin: it has no descriptor, and it lives in a subdirectory the
// plugin loader does not scan.
#include "archive_helper.hpp"

namespace {

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
    }};

}  // namespace

extern "C" __attribute__((visibility("default"))) const rkt::cas::ArchiveHelper*
rkt_cas_archive_helper_v1() {
  return &kHelper;
}
