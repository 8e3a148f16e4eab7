// The `aci-archive` fetcher: ACI files named by a local path, a file:// URL or an http(s):// URL.
#ifndef RKT_PLUGINS_ACI_ARCHIVE_ACI_ARCHIVE_FETCHER_HPP
#define RKT_PLUGINS_ACI_ARCHIVE_ACI_ARCHIVE_FETCHER_HPP

#include <string>

#include "rkt/sdk/fetcher.hpp"

namespace rkt::aciarchive {

class AciArchiveFetcher : public sdk::Fetcher {
 public:
  /// The factory configuration is not used (any JSON object is accepted).
  explicit AciArchiveFetcher(const std::string& configJson);

  /// Request and result as rkt/abi/fetcher.h (ABI 1.1) describes them.
  std::string fetch(const std::string& requestJson) override;
};

}  // namespace rkt::aciarchive

#endif  // RKT_PLUGINS_ACI_ARCHIVE_ACI_ARCHIVE_FETCHER_HPP
