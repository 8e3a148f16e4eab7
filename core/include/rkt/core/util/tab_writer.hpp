// Tables aligned the way rkt aligns them: Go's text/tabwriter with minwidth 0, tabwidth 8,
// padding 1 and '\t' as the padding character (rkt list, rkt image list, ...).
#ifndef RKT_CORE_UTIL_TAB_WRITER_HPP
#define RKT_CORE_UTIL_TAB_WRITER_HPP

#include <string>
#include <vector>

namespace rkt::util {

/// Formats `rows` as text, one line per row ending in '\n'. Every cell except the last of its
/// row is followed by tabs up to its column's width: the widest such cell of the column (in
/// UTF-8 characters) plus one, rounded up to a multiple of 8. The last cell of a row is not
/// padded. Cells must not contain tabs or newlines.
std::string formatTabTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace rkt::util

#endif  // RKT_CORE_UTIL_TAB_WRITER_HPP
