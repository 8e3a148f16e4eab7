// The cas store's archive helper: support/archive's import and extraction (libarchive and its
// compression libraries) and the tree hash (OpenSSL's libcrypto) live in a separate shared object,
// `store-cas/archive.so` next to store-cas.so, loaded on first use. A command that only resolves,
// lists or finds an already rendered tree (rkt run with the image in the store) never maps
// libarchive (docs/run.md, start latency). The helper is internal to this plugin, built with it;
// C++ types cross the boundary. It sits in a subdirectory so that the plugin loader, which scans
// plugin directories for <kind>-<name>.so without descending, never takes it for a plugin.
#ifndef RKT_CAS_ARCHIVE_HELPER_HPP
#define RKT_CAS_ARCHIVE_HELPER_HPP

#include <rkt/support/archive/extract.hpp>
#include <rkt/support/archive/import.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "tree_hash.hpp"

namespace rkt::cas {

inline constexpr char kArchiveHelperDir[] = "store-cas";
inline constexpr char kArchiveHelperFile[] = "archive.so";
inline constexpr char kArchiveHelperEntry[] = "rkt_cas_archive_helper_v1";

struct ArchiveHelper {
  /// archive::importAciFd: the ACI open at `fd`, called `name` in errors.
  Result<archive::ImportedImage> (*importAciFd)(int fd, const std::string& name,
                                                const std::string& tempDir,
                                                const archive::ImportOptions& options) = nullptr;
  Result<archive::ExtractStats> (*extractTar)(const std::string& archivePath,
                                              const std::string& targetDir,
                                              const archive::ExtractOptions& options) = nullptr;
  /// tree_hash.hpp's hashTree (throws rkt::sdk::Error).
  TreeHash (*hashTree)(const std::string& treeDir, const archive::FileDigests* known) = nullptr;
  /// Checks the layer blob at `blob` against `digest` ("sha256:…") and `size`, then extracts it
  /// into the empty directory `dir` in overlayfs' form above `lowersTopFirst`
  /// (rkt::oci::extractLayerTree). Returns the bytes of file data written.
  Result<std::uint64_t> (*extractLayer)(const std::string& blob, const std::string& digest,
                                        std::int64_t size, const std::string& dir,
                                        const std::vector<std::string>& lowersTopFirst,
                                        const std::string& context) = nullptr;
  /// Writes `dev/` with rkt's links (stdin, stdout, stderr, fd) into `topDir` where the stack
  /// `layersTopFirst` has none (docker2aci's /dev, docs/images.md).
  Status (*addDevLinks)(const std::vector<std::string>& layersTopFirst,
                        const std::string& topDir) = nullptr;
  /// The squashed ACI of a layered image (`rkt image export`): `layersTopFirst` merged into
  /// `workDir`/rootfs (created) and written with `manifestJson` to `fd`.
  Status (*writeSquashedAci)(int fd, const std::vector<std::string>& layersTopFirst,
                             const std::string& manifestJson, const std::string& workDir) = nullptr;
};

/// The helper, loaded once per process by rkt::module::loadModuleEntry (never unloaded; as root
/// only from a root-owned, not world-writable file and directory, like plugins) from
/// <directory of the object holding this code>/store-cas/archive.so — the plugin's directory,
/// as loaded or with symlinks resolved — or, when this code is linked into a program (the unit
/// tests), from <program's dir>/../<RKT_PLUGIN_SUBDIR>/store-cas/archive.so. Throws rkt::sdk::Error
/// (RKT_E_INTERNAL) "cannot load the cas store's archive helper: `<path>`: <why>".
const ArchiveHelper& archiveHelper();

}  // namespace rkt::cas

#endif  // RKT_CAS_ARCHIVE_HELPER_HPP
