#include "rkt/support/appexec/users.hpp"

#include <fcntl.h>

#include <cerrno>
#include <limits>
#include <sstream>

#include "rkt/sdk/plugin.hpp"

namespace rkt::appexec {

namespace {

enum class IdKind { User, Group };

const char* kindWord(IdKind kind) {
  return kind == IdKind::User ? "user" : "group";
}

[[noreturn]] void invalid(IdKind kind, const std::string& value, const std::string& why) {
  fail(RKT_E_INVALID, std::string("invalid ") + kindWord(kind) + " " + goQuote(value) + ": " + why);
}

std::uint32_t resolveId(const RootDir& root, IdKind kind, const std::string& value) {
  if (value.empty()) {
    invalid(kind, value, "empty");
  }
  if (value == "root") {
    return 0;
  }
  if (std::optional<std::uint32_t> id = parseNumericId(value)) {
    return *id;
  }
  if (value[0] == '/') {
    std::optional<struct stat> st = root.stat(value);
    if (!st) {
      invalid(kind, value, "cannot stat " + root.describe(value) + ": " + errnoText(errno));
    }
    return kind == IdKind::User ? st->st_uid : st->st_gid;
  }
  const char* database = kind == IdKind::User ? "/etc/passwd" : "/etc/group";
  posix::UniqueFd fd = root.open(database, O_RDONLY);
  if (!fd.valid()) {
    invalid(kind, value, "cannot open " + root.describe(database) + ": " + errnoText(errno));
  }
  std::optional<std::uint32_t> id =
      lookupIdInDatabase(readAll(fd.get(), root.describe(database)), value);
  if (!id) {
    invalid(kind, value, std::string("no such ") + kindWord(kind) + " in the image's " + database);
  }
  return *id;
}

}  // namespace

std::optional<std::uint32_t> parseNumericId(const std::string& text) {
  if (text.empty() || text.size() > 10) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v >= std::numeric_limits<std::uint32_t>::max()) {  // (uid_t)-1 means "unchanged"
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(v);
}

std::optional<std::uint32_t> lookupIdInDatabase(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    size_t first = line.find(':');
    if (first == std::string::npos || line.compare(0, first, name) != 0 || first != name.size()) {
      continue;
    }
    size_t second = line.find(':', first + 1);
    if (second == std::string::npos) {
      continue;
    }
    size_t third = line.find(':', second + 1);
    std::string id = line.substr(
        second + 1, third == std::string::npos ? std::string::npos : third - second - 1);
    return parseNumericId(id);
  }
  return std::nullopt;
}

uid_t resolveUser(const RootDir& root, const std::string& user) {
  return resolveId(root, IdKind::User, user);
}

gid_t resolveGroup(const RootDir& root, const std::string& group) {
  return resolveId(root, IdKind::Group, group);
}

Credentials resolveCredentials(const RootDir& root, const CredentialsRequest& request) {
  Credentials creds;
  creds.uid = resolveUser(root, request.user);
  try {
    creds.gid = resolveGroup(root, request.group);
  } catch (const sdk::Error&) {
    if (!(request.convertedFromDocker && request.imageUser == request.imageGroup &&
          request.imageGroup == request.group)) {
      throw;
    }
    creds.gid = creds.uid;
  }
  creds.supplementaryGids.assign(request.supplementaryGids.begin(),
                                 request.supplementaryGids.end());
  return creds;
}

}  // namespace rkt::appexec
