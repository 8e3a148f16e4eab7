// Writing an ACI (gzip-compressed tar: `rootfs/…` then `manifest`) from a directory tree on
// disk: `rkt export` of a pod's app, and the squashed ACI of an OCI image (support/oci).
#ifndef RKT_SUPPORT_ARCHIVE_ACI_WRITER_HPP
#define RKT_SUPPORT_ARCHIVE_ACI_WRITER_HPP

#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>

#include "rkt/base/result.hpp"

namespace rkt::archive {

/// Maps the owner of an entry as found on disk to the owner written into the archive (e.g.
/// undoing a user-namespace shift); an error stops the write. `path` names the entry.
using OwnerMap =
    std::function<Status(std::uint32_t& uid, std::uint32_t& gid, const std::string& path)>;

/// Writes every entry below `rootDir` except a top-level `manifest` (Go's filepath.Walk order:
/// lexical by name, parents first; symlinks never followed; sockets skipped; a file linked
/// several times is written once and then as hard links to its first path), then `manifest`
/// from `manifest`, as a gzip-compressed pax tar to `fd`. `ownerMap` may be empty. The
/// manifest entry's mtime is `manifestMtime`, or now (rkt's export) when absent; the same tree
/// and manifest written with a fixed time give the same bytes, so the same image ID.
Status writeAci(int fd, const std::string& rootDir, const std::string& manifest,
                const OwnerMap& ownerMap = {},
                std::optional<std::time_t> manifestMtime = std::nullopt);

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_ACI_WRITER_HPP
