#include "rkt/core/trust/keystore.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <sstream>

#include "rkt/schema/names.hpp"
#include "util/regular_file.hpp"

namespace rkt::trust {
namespace {

std::string join(const std::string& dir, std::string_view name) {
  if (dir.empty() || dir.back() == '/') {
    return dir + std::string(name);
  }
  return dir + "/" + std::string(name);
}

std::string baseName(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

Result<std::string> readFile(const std::string& path) {
  Result<std::string> bytes = util::readRegularFile(path);
  if (!bytes) {
    return bytes.error().wrap("cannot read key file `" + path + "`");
  }
  return bytes;
}

// Sorted entry names of `dir` (Go's filepath.Walk visits in lexical order); a missing
// directory has none.
Result<std::vector<std::string>> listDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return names;
    }
    return sysError("cannot read directory `" + dir + "`");
  }
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") {
      names.push_back(std::move(name));
    }
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

using KeyMap = std::map<std::string, TrustedKeyFile>;

Result<TrustedKeyFile> keyFromFile(const std::string& path) {
  auto bytes = readFile(path);
  if (!bytes) {
    return bytes.error();
  }
  auto keys = readArmoredKeys(*bytes);
  if (!keys) {
    return keys.error().wrap("cannot read key file `" + path + "`");
  }
  const PublicKey& first = keys->front();
  if (baseName(path) != first.fingerprint) {
    return Error{"fingerprint mismatch: key file `" + path + "` holds key " + first.fingerprint};
  }
  return TrustedKeyFile{path, first};
}

// rkt's walk: from `root`, descend into directories whose path is a string prefix of
// `fullPath`; load every file met, a zero-length file masking the key of its name.
Status walk(const std::string& root, const std::string& fullPath, KeyMap& keys) {
  struct stat st {};
  if (lstat(root.c_str(), &st) != 0) {
    return errno == ENOENT ? Status{} : Status{sysError("cannot stat `" + root + "`")};
  }
  if (S_ISDIR(st.st_mode)) {
    if (!startsWith(fullPath, root)) {
      return {};
    }
    auto names = listDir(root);
    if (!names) {
      return names.error();
    }
    for (const std::string& name : *names) {
      if (Status s = walk(join(root, name), fullPath, keys); !s) {
        return s;
      }
    }
    return {};
  }
  if (st.st_size == 0) {
    keys.erase(baseName(root));
    return {};
  }
  auto key = keyFromFile(root);
  if (!key) {
    return key.error();
  }
  std::string fp = key->key.fingerprint;
  keys[fp] = std::move(*key);
  return {};
}

Status makeDirs(const std::string& dir) {
  std::string partial;
  std::stringstream parts(dir);
  std::string part;
  if (!dir.empty() && dir[0] == '/') {
    partial = "/";
  }
  while (std::getline(parts, part, '/')) {
    if (part.empty()) {
      continue;
    }
    partial = partial.empty() || partial.back() == '/' ? partial + part : partial + "/" + part;
    if (mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return sysError("cannot create directory `" + partial + "`");
    }
  }
  return {};
}

Status writeFileAtomically(const std::string& path, std::string_view bytes) {
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) {
    return sysError("cannot create `" + tmp + "`");
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      int err = errno;
      close(fd);
      unlink(tmp.c_str());
      return sysError("cannot write `" + tmp + "`", err);
    }
    done += static_cast<size_t>(n);
  }
  if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
    int err = errno;
    close(fd);
    unlink(tmp.c_str());
    return sysError("cannot write `" + tmp + "`", err);
  }
  close(fd);
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return sysError("cannot write `" + path + "`", err);
  }
  return {};
}

}  // namespace

KeystoreDirs KeystoreDirs::fromConfigDirs(const std::string& systemConfigDir,
                                          const std::string& localConfigDir) {
  return KeystoreDirs{
      join(systemConfigDir, "trustedkeys/root.d"), join(systemConfigDir, "trustedkeys/prefix.d"),
      join(localConfigDir, "trustedkeys/root.d"), join(localConfigDir, "trustedkeys/prefix.d")};
}

Result<std::vector<TrustedKeyFile>> Keystore::keysFor(std::string_view imageName) const {
  if (Status s = schema::validateAcIdentifier(imageName); !s) {
    return s.error();
  }
  std::string name(imageName);
  std::string first = name.substr(0, name.find('/'));
  KeyMap keys;
  const std::pair<std::string, std::string> walks[] = {
      {dirs_.systemRoot, dirs_.systemRoot},
      {dirs_.localRoot, dirs_.localRoot},
      {join(dirs_.systemPrefix, first), join(dirs_.systemPrefix, name)},
      {join(dirs_.localPrefix, first), join(dirs_.localPrefix, name)},
  };
  for (const auto& [root, full] : walks) {
    if (Status s = walk(root, full, keys); !s) {
      return s.error();
    }
  }
  std::vector<TrustedKeyFile> out;
  for (auto& [fp, key] : keys) {
    out.push_back(std::move(key));
  }
  return out;
}

Result<Keyring> Keystore::keyringFor(std::string_view imageName) const {
  auto files = keysFor(imageName);
  if (!files) {
    return files.error();
  }
  Keyring ring;
  for (const TrustedKeyFile& f : *files) {
    auto bytes = readFile(f.path);
    if (!bytes) {
      return bytes.error();
    }
    if (auto added = ring.addFirstKey(*bytes); !added) {
      return added.error().wrap("cannot read key file `" + f.path + "`");
    }
  }
  return ring;
}

Result<PublicKey> Keystore::checkSignature(std::string_view imageName, const std::string& dataPath,
                                           std::string_view signature) const {
  auto ring = keyringFor(imageName);
  if (!ring) {
    return ring.error().wrap("keystore: error loading keyring");
  }
  return ring->verifyDetached(dataPath, signature);
}

bool Keystore::hasKeysForPrefix(std::string_view prefix) const {
  std::string p(prefix);
  while (!p.empty()) {
    for (const std::string& base : {dirs_.localPrefix, dirs_.systemPrefix}) {
      auto names = listDir(join(base, p));
      if (!names) {
        continue;
      }
      for (const std::string& n : *names) {
        struct stat st {};
        std::string path = join(join(base, p), n);
        if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
          return true;
        }
      }
    }
    auto slash = p.rfind('/');
    p = slash == std::string::npos ? "" : p.substr(0, slash);
  }
  return false;
}

Result<std::string> Keystore::storeTrustedKey(std::string_view prefix,
                                              std::string_view armored) const {
  std::string dir = dirs_.localRoot;
  if (!prefix.empty()) {
    if (Status s = schema::validateAcIdentifier(prefix); !s) {
      return s.error();
    }
    dir = join(dirs_.localPrefix, prefix);
  }
  auto keys = readArmoredKeys(armored);
  if (!keys) {
    return keys.error();
  }
  if (Status s = makeDirs(dir); !s) {
    return s.error();
  }
  std::string path = join(dir, keys->front().fingerprint);
  if (Status s = writeFileAtomically(path, armored); !s) {
    return s.error();
  }
  return path;
}

}  // namespace rkt::trust
