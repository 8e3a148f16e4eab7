// `rkt export`: an exited pod's app, as it ended up, written as a new ACI (rkt-notes §1.18).
#ifndef RKT_CORE_POD_EXPORT_HPP
#define RKT_CORE_POD_EXPORT_HPP

#include <cstdint>
#include <optional>
#include <string>

#include "rkt/core/pod/pod.hpp"
#include "rkt/core/pod/private_users.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod {

/// An id as the image sees it: `id - shift` for ids inside the range, else an error (ERANGE).
Result<std::uint32_t> unshiftId(const UidRange& range, std::uint32_t id);

struct ExportOptions {
  /// The .aci to write. Created with O_EXCL unless `overwrite`; removed again on failure.
  std::string output;
  bool overwrite = false;
  /// $DATA: overlay pods mount the app's tree ($DATA/cas/tree/<id>/rootfs) under $DATA/tmp.
  std::string dataDir;
};

/// Writes a gzip-compressed ACI holding `manifest` (appsinfo/<app>/manifest) and `rootfs/` (the
/// app's rootfs, with the pod's changes) to options.output.
/// Preconditions (the command checks them, with rkt's messages): the pod is exited or exited
/// garbage and `app` is one of its apps. Overlay pods (overlay-prepared) mount an overlay of the
/// app's tree and upper dir on a temporary directory (`$DATA/tmp/rkt-export-<uuid>*`); other
/// pods are refused while anything is still mounted below the app's rootfs. Uids and gids of a
/// pod run with private users are unshifted. "error building aci: target file exists (try
/// --overwrite)" (EEXIST) when the output exists.
Status exportApp(const Pod& pod, const std::string& app, const ExportOptions& options);

/// Writes `rootDir` (which holds `rootfs/`) and the image manifest bytes as a gzip-compressed ACI
/// to the open descriptor `fd`: entries in lexical order as Go's filepath.Walk gives them,
/// hard links kept, sockets skipped, `manifest` last. Ids are unshifted with `range` if given.
Status writeAci(int fd, const std::string& rootDir, const std::string& manifest,
                const std::optional<UidRange>& range);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_EXPORT_HPP
