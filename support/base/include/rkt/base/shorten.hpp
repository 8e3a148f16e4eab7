// Keeping messages one readable line. Names in messages (paths, image names, URLs, app names)
// come from users, images and pods: they may be 10 KB long or hold newlines and terminal escape
// sequences. This is the one place that shortens and escapes them, so that every error stays one
// line a terminal shows as it is: the builders of messages name objects with shownName(), and the
// places every message passes through (the CLI's error printer, the plugin error callback) apply
// oneLine() to the whole line.
#ifndef RKT_BASE_SHORTEN_HPP
#define RKT_BASE_SHORTEN_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace rkt {

/// Longest name (a space-free word of a message) shown whole, in bytes.
inline constexpr std::size_t kMaxShownName = 200;
/// Longest message line, in bytes.
inline constexpr std::size_t kMaxMessageLine = 1000;
/// What replaces the middle of a shortened name (U+2026, three bytes of UTF-8).
inline constexpr std::string_view kEllipsis = "\xe2\x80\xa6";

namespace shorten_detail {
inline bool isContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}
}  // namespace shorten_detail

/// `text` cut in the middle when longer than `max` bytes (`max` >= 16), keeping its start and its
/// end: "/a/b/…/y/z". Each cut falls on a `separator` when one is in the half of the kept part
/// nearest to it (so path components stay whole), and never inside a UTF-8 character.
inline std::string shortenMiddle(std::string_view text, std::size_t max = kMaxShownName,
                                 char separator = '/') {
  if (text.size() <= max || max < 16) {
    return std::string(text);
  }
  const std::size_t budget = max - kEllipsis.size();
  std::size_t head = budget / 2;
  std::size_t tail = text.size() - (budget - head);  // first byte of the kept end
  // Prefer whole components: "/a/b/" … "/y/z".
  const std::size_t slash = text.rfind(separator, head - 1);
  if (slash != std::string_view::npos && slash >= head / 2) {
    head = slash + 1;
  }
  const std::size_t tailSlash = text.find(separator, tail);
  if (tailSlash != std::string_view::npos && tailSlash - tail <= (text.size() - tail) / 2) {
    tail = tailSlash;
  }
  while (head > 0 && shorten_detail::isContinuationByte(text[head])) {
    --head;
  }
  while (tail < text.size() && shorten_detail::isContinuationByte(text[tail])) {
    ++tail;
  }
  std::string out(text.substr(0, head));
  out += kEllipsis;
  out += text.substr(tail);
  return out;
}

/// `text` with control bytes and DEL escaped as `\n`, `\r`, `\t`, `\x1b`; everything else, a
/// backslash included, unchanged (so escaping an escaped text changes nothing).
inline std::string escapeControls(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
  return out;
}

/// A name as a message shows it: control characters escaped, then cut in the middle at
/// kMaxShownName bytes. Quote it as usual: "cannot open `" + shownName(path) + "`".
inline std::string shownName(std::string_view name) {
  return shortenMiddle(escapeControls(name));
}

/// A name in double quotes, as rkt's messages quote image names and paths ("\"<name>\""), shown
/// as shownName() shows it.
inline std::string quotedName(std::string_view name) {
  return "\"" + shownName(name) + "\"";
}

/// A whole message as one readable line: control characters (newlines too) escaped, every
/// space-separated word longer than kMaxShownName cut in the middle, and the line cut in the
/// middle at kMaxMessageLine. Applying it again changes nothing.
inline std::string oneLine(std::string_view message) {
  const std::string escaped = escapeControls(message);
  std::string out;
  out.reserve(escaped.size());
  std::size_t start = 0;
  while (start <= escaped.size()) {
    std::size_t end = escaped.find(' ', start);
    if (end == std::string::npos) {
      end = escaped.size();
    }
    out += shortenMiddle(std::string_view(escaped).substr(start, end - start));
    if (end == escaped.size()) {
      break;
    }
    out.push_back(' ');
    start = end + 1;
  }
  // Cut between words, so that the cut line is made of words that are short already.
  return shortenMiddle(out, kMaxMessageLine, ' ');
}

}  // namespace rkt

#endif  // RKT_BASE_SHORTEN_HPP
