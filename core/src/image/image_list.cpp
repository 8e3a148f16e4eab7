#include "rkt/core/image/image_list.hpp"
#include "rkt/base/quote.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "rkt/core/util/humanize.hpp"
#include "rkt/core/util/tab_writer.hpp"
#include "util/json_indent.hpp"

namespace rkt::image {
namespace {

struct FieldName {
  ListField field;
  const char* name;
  const char* header;
};

constexpr FieldName kFields[] = {
    {ListField::kId, "id", "ID"},
    {ListField::kName, "name", "NAME"},
    {ListField::kSize, "size", "SIZE"},
    {ListField::kImportTime, "importtime", "IMPORT TIME"},
    {ListField::kLastUsed, "lastused", "LAST USED"},
};

const char* headerOf(ListField f) {
  for (const auto& n : kFields) {
    if (n.field == f) {
      return n.header;
    }
  }
  return "";
}

Result<std::vector<ListField>> parseOptionList(std::string_view csv, bool sortable) {
  std::vector<ListField> out;
  if (csv.empty()) {
    return out;
  }
  std::string lowered(csv);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view rest = lowered;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string word(rest.substr(0, comma));
    const FieldName* found = nullptr;
    for (const auto& n : kFields) {
      if (word == n.name && (!sortable || n.field != ListField::kId)) {
        found = &n;
      }
    }
    if (found == nullptr) {
      return Error{"unknown option \"" + word + "\""};
    }
    if (std::find(out.begin(), out.end(), found->field) != out.end()) {
      return Error{"duplicated option \"" + word + "\""};
    }
    out.push_back(found->field);
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  return out;
}

util::SystemTime fromNs(std::int64_t ns) {
  return util::SystemTime(
      std::chrono::duration_cast<util::SystemTime::duration>(std::chrono::nanoseconds(ns)));
}

std::string shortId(const std::string& key) {
  // rkt: the algorithm, the dash and the first 12 characters of the value.
  const std::size_t dash = key.find('-');
  if (dash != std::string::npos && dash > 0 && dash + 13 < key.size()) {
    return key.substr(0, dash + 13);
  }
  return key;
}

}  // namespace

Result<std::vector<ListField>> parseListFields(std::string_view csv) {
  return parseOptionList(csv, false);
}

Result<std::vector<ListField>> parseSortFields(std::string_view csv) {
  return parseOptionList(csv, true);
}

Result<bool> parseSortOrder(std::string_view text) {
  if (text == "asc") {
    return true;
  }
  if (text == "desc") {
    return false;
  }
  return Error{"unknown option \"" + std::string(text) + "\" (expected asc or desc)"};
}

std::vector<ListEntry> listEntries(const std::vector<ImageRecord>& images,
                                   const std::vector<ListField>& sort, bool ascending) {
  std::vector<ListEntry> entries;
  entries.reserve(images.size());
  for (const ImageRecord& r : images) {
    ListEntry e;
    e.key = r.key;
    e.name = r.name;
    e.displayName = r.name;
    if (auto v = r.labels.find("version"); v != r.labels.end()) {
      e.displayName += ":" + v->second;
    }
    e.importTime = r.importTime;
    e.lastUsed = r.lastUsed;
    e.storedSize = r.size;
    e.size = r.size + r.treeSize;
    entries.push_back(std::move(e));
  }
  if (sort.empty()) {
    return entries;
  }
  auto compare = [&sort](const ListEntry& a, const ListEntry& b) -> int {
    for (ListField f : sort) {
      int c = 0;
      switch (f) {
        case ListField::kName:
          c = a.name.compare(b.name);
          break;
        case ListField::kImportTime:
          c = a.importTime < b.importTime ? -1 : a.importTime > b.importTime ? 1 : 0;
          break;
        case ListField::kLastUsed:
          c = a.lastUsed < b.lastUsed ? -1 : a.lastUsed > b.lastUsed ? 1 : 0;
          break;
        case ListField::kSize:
          c = a.storedSize < b.storedSize ? -1 : a.storedSize > b.storedSize ? 1 : 0;
          break;
        case ListField::kId:
          c = a.key.compare(b.key);
          break;
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  };
  std::stable_sort(entries.begin(), entries.end(), [&](const ListEntry& a, const ListEntry& b) {
    const int c = compare(a, b);
    return ascending ? c < 0 : c > 0;
  });
  return entries;
}

std::string formatImageTable(const std::vector<ListEntry>& entries, const TableOptions& options,
                             std::chrono::system_clock::time_point now) {
  std::vector<std::vector<std::string>> rows;
  if (!options.noLegend) {
    std::vector<std::string> header;
    for (ListField f : options.fields) {
      header.emplace_back(headerOf(f));
    }
    rows.push_back(std::move(header));
  }
  for (const ListEntry& e : entries) {
    std::vector<std::string> row;
    for (ListField f : options.fields) {
      switch (f) {
        case ListField::kId:
          row.push_back(options.full ? e.key : shortId(e.key));
          break;
        case ListField::kName:
          row.push_back(e.displayName);
          break;
        case ListField::kSize:
          row.push_back(options.full ? std::to_string(e.size)
                                     : util::humanizeIBytes(static_cast<std::uint64_t>(
                                           std::max<std::int64_t>(e.size, 0))));
          break;
        case ListField::kImportTime:
          row.push_back(options.full ? util::formatLongTime(fromNs(e.importTime))
                                     : util::humanizeTime(fromNs(e.importTime), now));
          break;
        case ListField::kLastUsed:
          row.push_back(options.full ? util::formatLongTime(fromNs(e.lastUsed))
                                     : util::humanizeTime(fromNs(e.lastUsed), now));
          break;
      }
    }
    rows.push_back(std::move(row));
  }
  return util::formatTabTable(rows);
}

std::string formatImageJson(const std::vector<ListEntry>& entries, bool pretty) {
  if (entries.empty()) {
    return "null";  // rkt marshals a nil slice
  }
  std::string out = "[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ListEntry& e = entries[i];
    if (i > 0) {
      out += ",";
    }
    out += "{\"id\":" + jsonQuote(e.key, JsonEscape::kHtmlSafe) +
           ",\"name\":" + jsonQuote(e.displayName, JsonEscape::kHtmlSafe) +
           ",\"import_time\":" + std::to_string(e.importTime) +
           ",\"last_used_time\":" + std::to_string(e.lastUsed) +
           ",\"size\":" + std::to_string(e.size) + "}";
  }
  out += "]";
  return pretty ? util::indentJson(out) : out;
}

}  // namespace rkt::image
