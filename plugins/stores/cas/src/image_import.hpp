// Importing an ACI file into the store: one pass over the (compressed) file with
// support/archive (decompress once; hash, write and read the manifest from the same stream),
// then the checks rkt and appc make, then an atomic publish.
//
// Refused (RKT_E_INVALID, "cannot import `<file>`: …", nothing of the image stored):
//  - a corrupt or truncated compressed stream or tar;
//  - an entry that breaks the image rules (support/archive's image_rules.hpp, which render and
//    `rkt image extract` apply too): what appc's archive validation (aci/layout.go
//    ValidateArchive) refuses — no `rootfs` directory entry, a path that is neither `manifest`
//    nor below `rootfs/`, a name that occurs twice (compared after cleaning, as appc does) — a
//    missing or non-regular `manifest`, a path below a symlink or file of the image, a hard
//    link that is not to an earlier entry, and the limits (docs/store.md, "Limits");
//  - a manifest that is not a valid appc ImageManifest (the schema library's message).
// A missing or unreadable file is RKT_E_NOT_FOUND / RKT_E_PERMISSION / RKT_E_IO.
#ifndef RKT_CAS_IMAGE_IMPORT_HPP
#define RKT_CAS_IMAGE_IMPORT_HPP

#include <string>

namespace rkt::cas {

class CasStore;

struct ImportedAci {
  std::string key;
  std::string manifest;  ///< the exact bytes of the image's `manifest` entry
};

/// Imports the ACI at `path` (gzip, bzip2, xz or uncompressed; a regular file, anything else
/// is refused without reading it). Errors call it `name` when given (the URL it was downloaded
/// from), else `path`. The uncompressed tar goes through a locked `cas-tmp-import-*` temp file,
/// so a killed import leaves only a file the next store open removes. Throws rkt::sdk::Error.
ImportedAci importAciFile(CasStore& store, const std::string& path, bool latest,
                          const std::string& name = "");

}  // namespace rkt::cas

#endif  // RKT_CAS_IMAGE_IMPORT_HPP
