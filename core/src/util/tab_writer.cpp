#include "rkt/core/util/tab_writer.hpp"

#include <algorithm>

namespace rkt::util {
namespace {

constexpr size_t kTabWidth = 8;
constexpr size_t kPadding = 1;

// tabwriter measures cells in runes, not bytes.
size_t displayWidth(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::string formatTabTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      if (widths.size() <= i) {
        widths.resize(i + 1, 0);
      }
      widths[i] = std::max(widths[i], displayWidth(row[i]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 == row.size()) {
        break;
      }
      size_t cell = (widths[i] + kPadding + kTabWidth - 1) / kTabWidth * kTabWidth;
      size_t missing = cell - displayWidth(row[i]);
      out.append((missing + kTabWidth - 1) / kTabWidth, '\t');
    }
    out += '\n';
  }
  return out;
}

}  // namespace rkt::util
