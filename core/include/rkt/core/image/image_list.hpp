// `rkt image list` output (rkt-notes §1.23): field and sort options, the table with humanized
// sizes and times, and the JSON form.
#ifndef RKT_CORE_IMAGE_IMAGE_LIST_HPP
#define RKT_CORE_IMAGE_IMAGE_LIST_HPP

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/image/store_client.hpp"
#include "rkt/core/result.hpp"

namespace rkt::image {

enum class ListField { kId, kName, kSize, kImportTime, kLastUsed };

/// `--fields`: a comma list of id, name, size, importtime, lastused (case-insensitive), each at
/// most once; "" = no fields. Errors as rkt's option lists: `unknown option "x"`,
/// `duplicated option "x"`.
Result<std::vector<ListField>> parseListFields(std::string_view csv);
/// `--sort`: the same rules over name, importtime, lastused, size.
Result<std::vector<ListField>> parseSortFields(std::string_view csv);
/// `--order`: "asc" (true) or "desc" (false).
Result<bool> parseSortOrder(std::string_view text);

/// One image as the list shows it.
struct ListEntry {
  std::string key;
  std::string name;             ///< the manifest name (what --sort=name sorts by)
  std::string displayName;      ///< name[:version]
  std::int64_t importTime = 0;  ///< ns since the epoch
  std::int64_t lastUsed = 0;
  std::int64_t storedSize = 0;  ///< the tar (what --sort=size sorts by)
  std::int64_t size = 0;        ///< tar + rendered tree, what SIZE shows
};

/// Entries for `images`, stably sorted by `sort` (in order) ascending or descending; with no sort
/// fields the store's order is kept.
std::vector<ListEntry> listEntries(const std::vector<ImageRecord>& images,
                                   const std::vector<ListField>& sort, bool ascending);

struct TableOptions {
  std::vector<ListField> fields;
  bool full = false;      ///< full IDs, byte sizes, absolute times
  bool noLegend = false;  ///< no header line
};

/// The tab-aligned table: header `ID NAME SIZE IMPORT TIME LAST USED` (in field order), short IDs
/// (`sha512-` + 12 hex), IEC sizes and relative times unless `full`.
std::string formatImageTable(
    const std::vector<ListEntry>& entries, const TableOptions& options,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// `--format=json` / `json-pretty`: [{"id","name","import_time","last_used_time","size"}, …]
/// (times in ns, full IDs), Go's encoding; `null` for no images, as rkt prints. No trailing
/// newline.
std::string formatImageJson(const std::vector<ListEntry>& entries, bool pretty);

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_IMAGE_LIST_HPP
