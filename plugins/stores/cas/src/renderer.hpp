// Renders a flattened dependency list into a directory with appc's rules (rkt-notes §4.7,
// appc-notes §1 "Dependencies and rendering"):
//  - each image must pass the image rules import applies (support/archive image_rules.hpp, the
//    limits of docs/store.md): an image stored before a rule existed fails the render, naming
//    the image and the entry, as `rkt image extract` does — never a silently partial tree;
//  - images are extracted in list order and the first image to provide a path wins ("upper
//    wins"); an entry below a path an upper image provided as a non-directory is skipped (what
//    was provided is a PathTree: memory linear in the names, whatever their depth);
//  - only the top image's `manifest` is rendered; lower images contribute only rootfs/;
//  - an image's own pathWhitelist keeps only its listed non-directory paths (its directories
//    always pass); the whitelist of every image above it on its branch (its dependants up to
//    the top) filters all of its entries, directories too. For one whitelist on the branch this
//    is exactly rkt's rule; with several, each of them removes what it does not list, as the
//    appc spec says of every image with a whitelist;
//  - a hard link whose target no image provided is skipped;
//  - each blob is re-hashed while it is read ("image hash does not match expected"), unless
//    this store instance published it itself and it is unchanged since
//    (CasStore::isOwnUnchangedBlob: the render-on-fetch right after an import).
#ifndef RKT_CAS_RENDERER_HPP
#define RKT_CAS_RENDERER_HPP

#include <rkt/support/archive/extract.hpp>

#include <string>
#include <vector>

#include "dep_list.hpp"

namespace rkt::cas {

class CasStore;

/// Extracts `deps` (from dependencyList) into the existing, empty directory `dir`. Each image
/// is read under its shared key lock and marked used. Throws rkt::sdk::Error naming the image
/// whose extraction failed; `dir` then holds a partial tree for the caller to remove. With
/// `digests`, the content digest of every file written is recorded there (for hashTree).
void renderImages(CasStore& store, const std::vector<DepImage>& deps, const std::string& dir,
                  rkt::archive::FileDigests* digests = nullptr);

}  // namespace rkt::cas

#endif  // RKT_CAS_RENDERER_HPP
