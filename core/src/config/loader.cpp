// Finding, reading and dispatching configuration files, and merging directories.
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "config/fields.hpp"
#include "config/kinds.hpp"
#include "rkt/core/config.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::config {

namespace {

using detail::DirState;

using Parser = Status (*)(const Poco::JSON::Object&, const std::string&, DirState&);

struct Kind {
  const char* name;
  const char* subdir;
  const char* version;  // the only version each kind has so far
  Parser parse;
};

constexpr Kind kKinds[] = {
    {"auth", "auth.d", "v1", detail::parseAuthV1},
    {"dockerAuth", "auth.d", "v1", detail::parseDockerAuthV1},
    {"paths", "paths.d", "v1", detail::parsePathsV1},
    {"stage1", "stage1.d", "v1", detail::parseStage1V1},
};

// Read in this order; within a subdirectory files are read in name order, so which of two
// clashing files gets blamed does not depend on readdir order.
constexpr const char* kSubdirs[] = {"auth.d", "paths.d", "stage1.d"};

std::string joinPath(const std::string& dir, const std::string& name) {
  return (!dir.empty() && dir.back() == '/') ? dir + name : dir + "/" + name;
}

// `"auth" or "dockerAuth"`: the kinds allowed in `subdir`.
std::string expectedKinds(const std::string& subdir) {
  std::vector<std::string> names;
  for (const Kind& kind : kKinds) {
    if (subdir == kind.subdir) {
      names.push_back(goQuote(kind.name));
    }
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + names[i];
  }
  return out;
}

Result<std::string> readWholeFile(const std::string& path) {
  const posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::string text;
  if (!fd.valid() || !posix::readAll(fd.get(), text)) {
    return sysError("cannot read " + goQuote(path));
  }
  return text;
}

Status readFile(const std::string& path, const std::string& subdir, DirState& state) {
  auto text = readWholeFile(path);
  if (!text) {
    return text.error();
  }
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var root = parser.parse(*text);
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
      object = root.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception& e) {
    return Error{"invalid JSON in " + goQuote(path) + ": " +
                 (e.message().empty() ? e.displayText() : e.message())};
  }
  const std::string invalid = "invalid configuration in " + goQuote(path) + ": ";
  if (object.isNull()) {
    return Error{invalid + "expected a JSON object"};
  }
  auto kindName = detail::stringField(*object, "rktKind");
  if (!kindName) {
    return Error{invalid + kindName.error().message};
  }
  if (kindName->empty()) {
    return Error{"no rktKind specified in " + goQuote(path)};
  }
  auto version = detail::stringField(*object, "rktVersion");
  if (!version) {
    return Error{invalid + version.error().message};
  }
  if (version->empty()) {
    return Error{"no rktVersion specified in " + goQuote(path)};
  }
  const Kind* kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                                  [&](const Kind& k) { return *kindName == k.name; });
  if (kind == std::end(kKinds)) {
    return Error{"unknown rktKind " + goQuote(*kindName) + " in " + goQuote(path) + " (expected " +
                 expectedKinds(subdir) + " in " + subdir + ")"};
  }
  if (subdir != kind->subdir) {
    return Error{"rktKind " + goQuote(*kindName) + " in " + goQuote(path) + " does not belong in " +
                 subdir + " (expected " + expectedKinds(subdir) + ")"};
  }
  if (*version != kind->version) {
    return Error{"unknown rktVersion " + goQuote(*version) + " of rktKind " + goQuote(*kindName) +
                 " in " + goQuote(path) + " (expected " + goQuote(kind->version) + ")"};
  }
  try {
    if (auto s = kind->parse(*object, path, state); !s) {
      return Error{invalid + s.error().message};
    }
  } catch (const Poco::Exception& e) {  // not expected: fields are type-checked before use
    return Error{invalid + e.displayText()};
  }
  return {};
}

// stat(2) of `path`: nullopt when it does not exist, an error when it cannot be examined.
Result<std::optional<struct stat>> statIfExists(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    return std::optional<struct stat>(st);
  }
  if (errno == ENOENT) {
    return std::optional<struct stat>();
  }
  return sysError("cannot access config path " + goQuote(path));
}

// Names of the entries of `dir` that are regular files (symlinks are not followed) ending in
// ".json", sorted.
Result<std::vector<std::string>> jsonFiles(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) {
    return sysError("cannot read config directory " + goQuote(dir));
  }
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = ::readdir(d.get())) {
    const std::string name = entry->d_name;
    const std::string suffix = ".json";
    if (name.size() < suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    struct stat st {};
    if (::fstatat(dirfd(d.get()), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) {  // removed while we read the directory
        errno = 0;
        continue;
      }
      return sysError("cannot access " + goQuote(joinPath(dir, name)));
    }
    if (S_ISREG(st.st_mode)) {
      names.push_back(name);
    }
  }
  if (errno != 0) {
    return sysError("cannot read config directory " + goQuote(dir));
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<bool> isExistingDirectory(const std::string& path) {
  auto st = statIfExists(path);
  if (!st) {
    return st.error();
  }
  if (!st->has_value()) {
    return false;
  }
  if (!S_ISDIR((*st)->st_mode)) {
    return Error{"config path " + goQuote(path) + " is not a directory"};
  }
  return true;
}

}  // namespace

Result<Config> readConfigDir(const std::string& dir) {
  DirState state;
  auto exists = isExistingDirectory(dir);
  if (!exists) {
    return exists.error();
  }
  if (!*exists) {
    return state.config;
  }
  for (const char* subdir : kSubdirs) {
    const std::string path = joinPath(dir, subdir);
    auto subExists = isExistingDirectory(path);
    if (!subExists) {
      return subExists.error();
    }
    if (!*subExists) {
      continue;
    }
    auto files = jsonFiles(path);
    if (!files) {
      return files.error();
    }
    for (const auto& name : *files) {
      if (auto s = readFile(joinPath(path, name), subdir, state); !s) {
        return s.error();
      }
    }
  }
  return state.config;
}

void mergeConfig(Config& into, const Config& over) {
  for (const auto& [host, credentials] : over.authPerHost) {
    into.authPerHost[host] = credentials;
  }
  for (const auto& [registry, credentials] : over.dockerCredentialsPerRegistry) {
    into.dockerCredentialsPerRegistry[registry] = credentials;
  }
  for (auto field : {&Paths::data, &Paths::stage1Images, &Paths::plugins}) {
    if (!(over.paths.*field).empty()) {
      into.paths.*field = over.paths.*field;
    }
  }
  if (!over.stage1.name.empty()) {
    into.stage1.name = over.stage1.name;
    into.stage1.version = over.stage1.version;
  }
  if (!over.stage1.location.empty()) {
    into.stage1.location = over.stage1.location;
  }
}

Result<Config> loadConfigFrom(const std::vector<std::string>& dirs) {
  Config merged;
  for (const auto& dir : dirs) {
    if (dir.empty()) {
      continue;
    }
    auto one = readConfigDir(dir);
    if (!one) {
      return one.error();
    }
    mergeConfig(merged, *one);
  }
  return merged;
}

Result<Config> loadConfig(const Dirs& dirs) {
  return loadConfigFrom({dirs.system, dirs.local, dirs.user});
}

}  // namespace rkt::config
