// The `oci` and `oci-archive` fetchers: OCI image layout directories (`oci:PATH[:REF]`) and
// tar archives of one (`oci-archive:FILE[:REF]`), converted and squashed by support/oci.
#ifndef RKT_PLUGINS_OCI_OCI_FETCHER_HPP
#define RKT_PLUGINS_OCI_OCI_FETCHER_HPP

#include <string>

#include "rkt/sdk/fetcher.hpp"

namespace rkt::ocifetch {

/// `oci:PATH[:REF]` or `oci-archive:FILE[:REF]` split at the first colon after the scheme,
/// as skopeo does (a REF may hold colons: `sha256:…`, `busybox:1.36`).
struct OciReference {
  std::string scheme;  ///< "oci" or "oci-archive"
  std::string path;    ///< absolute, lexically clean
  std::string ref;     ///< "" when absent
};

/// Throws rkt::sdk::Error(RKT_E_INVALID) for a string of another scheme or without a path.
OciReference parseOciReference(const std::string& image);

/// The appc name and version of an image found as `ref` in the layout at `path` (docs/images.md):
/// a ref of the form `NAME:TAG` (`busybox:1.36`, `example.com/app:v1`) gives NAME and TAG; any
/// other ref names the version of an image named after the layout's directory; no ref: "latest".
std::pair<std::string, std::string> ociImageName(const std::string& path, const std::string& ref);

class OciFetcher : public sdk::Fetcher {
 public:
  /// The factory configuration is not used (any JSON object is accepted).
  explicit OciFetcher(const std::string& configJson);
  std::string fetch(const std::string& requestJson) override;
};

}  // namespace rkt::ocifetch

#endif  // RKT_PLUGINS_OCI_OCI_FETCHER_HPP
