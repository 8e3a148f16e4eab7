#include <fcntl.h>

#include <algorithm>
#include <cerrno>

#include "pod/mounts.hpp"
#include "pod/sys.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::pod::mounts {
namespace {

std::vector<std::string_view> splitSpaces(std::string_view line) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos)
      end = line.size();
    if (end > pos)
      out.push_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

size_t depth(const std::string& path) {
  if (path == "/")
    return 0;
  return static_cast<size_t>(std::count(path.begin(), path.end(), '/'));
}

}  // namespace

std::string unescape(std::string_view field) {
  auto isOct = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && isOct(field[i + 1]) && isOct(field[i + 2]) &&
        isOct(field[i + 3])) {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                                      (field[i + 3] - '0')));
      i += 3;
      continue;
    }
    out.push_back(field[i]);
  }
  return out;
}

Result<std::vector<MountInfo>> parseMountInfo(std::string_view text) {
  std::vector<MountInfo> table;
  size_t lineNo = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++lineNo;
    if (line.empty())
      continue;
    std::vector<std::string_view> f = splitSpaces(line);
    auto sep = std::find(f.begin(), f.end(), std::string_view("-"));
    long long id = 0, parent = 0;
    if (f.size() < 7 || sep == f.end() || sep - f.begin() < 6 || f.end() - sep < 3 ||
        !sys::parseInt(f[0], id) || !sys::parseInt(f[1], parent)) {
      return Error{
          "cannot parse mountinfo line " + std::to_string(lineNo) + ": `" + std::string(line) + "`",
          EINVAL};
    }
    MountInfo m;
    m.id = static_cast<int>(id);
    m.parentId = static_cast<int>(parent);
    m.root = unescape(f[3]);
    m.mountPoint = unescape(f[4]);
    for (auto it = f.begin() + 6; it != sep; ++it) {
      if (!m.optional.empty())
        m.optional += ' ';
      m.optional += std::string(*it);
    }
    m.fsType = std::string(sep[1]);
    m.source = unescape(sep[2]);
    table.push_back(std::move(m));
  }
  return table;
}

Result<std::vector<MountInfo>> readMountInfo() {
  Result<std::string> text = posix::readFileAt(AT_FDCWD, "/proc/self/mountinfo");
  if (!text)
    return text.error();
  return parseMountInfo(*text);
}

bool isAtOrBelow(std::string_view path, std::string_view root) {
  while (root.size() > 1 && root.back() == '/')
    root.remove_suffix(1);
  if (root == "/")
    return !path.empty() && path.front() == '/';
  if (path.size() < root.size() || path.compare(0, root.size(), root) != 0)
    return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

std::vector<MountInfo> mountsBelow(const std::vector<MountInfo>& table, const std::string& root) {
  std::vector<MountInfo> out;
  // mountinfo lists mounts in the order they were made; walk it backwards so that, for equal
  // depth, the most recent (the one on top of a stack) comes first.
  for (auto it = table.rbegin(); it != table.rend(); ++it) {
    if (isAtOrBelow(it->mountPoint, root))
      out.push_back(*it);
  }
  std::stable_sort(out.begin(), out.end(), [](const MountInfo& a, const MountInfo& b) {
    return depth(a.mountPoint) > depth(b.mountPoint);
  });
  return out;
}

}  // namespace rkt::pod::mounts
