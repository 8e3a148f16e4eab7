#include "rkt/support/appexec/root_dir.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <deque>
#include <vector>

namespace rkt::appexec {

namespace {

constexpr int kMaxSymlinks = 40;  // the kernel's limit (MAXSYMLINKS)

// openat2 support, probed on first use: ENOSYS before Linux 5.6, EPERM under some seccomp
// filters. RKT_APPEXEC_NO_OPENAT2 forces the component walk (the tests run both ways).
std::atomic<bool> gOpenat2Usable{std::getenv("RKT_APPEXEC_NO_OPENAT2") == nullptr};

int openat2(int dirFd, const char* path, int flags, std::uint64_t resolve) {
  struct open_how how {};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.resolve = resolve;
  return static_cast<int>(::syscall(SYS_openat2, dirFd, path, &how, sizeof how));
}

std::vector<std::string> splitComponents(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) {
      j = path.size();
    }
    if (j > i) {
      out.emplace_back(path.substr(i, j - i));
    }
    i = j + 1;
  }
  return out;
}

std::string joinComponents(const std::vector<std::string>& parts) {
  if (parts.empty()) {
    return "/";
  }
  std::string out;
  for (const std::string& p : parts) {
    out += '/';
    out += p;
  }
  return out;
}

// Applies `c` to the components so far when it is "." or ".." (".." at the top stays at the
// top, as in a chroot). True when it was one of them.
bool applyDots(const std::string& c, std::vector<std::string>& parts) {
  if (c == "..") {
    if (!parts.empty()) {
      parts.pop_back();
    }
    return true;
  }
  return c == ".";
}

// openat2 takes paths relative to the root descriptor; "" is not allowed, "." is the root.
std::string relative(const std::string& resolved) {
  return resolved == "/" ? "." : resolved.substr(1);
}

}  // namespace

std::string cleanAbsolute(std::string_view path) {
  std::vector<std::string> parts;
  for (std::string& c : splitComponents(path)) {
    if (!applyDots(c, parts)) {
      parts.push_back(std::move(c));
    }
  }
  return joinComponents(parts);
}

std::pair<std::string, std::string> splitParent(const std::string& resolved) {
  size_t slash = resolved.rfind('/');
  if (slash == std::string::npos || resolved == "/") {
    return {"/", ""};
  }
  std::string parent = slash == 0 ? "/" : resolved.substr(0, slash);
  return {parent, resolved.substr(slash + 1)};
}

RootDir::RootDir(std::string path) : path_(std::move(path)) {
  fd_ = posix::UniqueFd(::open(path_.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd_.valid()) {
    throwSys("cannot open directory `" + path_ + "`");
  }
}

std::string RootDir::describe(std::string_view path) const {
  return "`" + std::string(path) + "` in `" + path_ + "`";
}

namespace {

// Without openat2: one component at a time from the root, never following a symlink. A
// resolved path has no `..` and no symlinks, so this cannot leave the root either.
int walkOpen(int rootFd, const std::string& resolved, int flags) {
  std::vector<std::string> parts = splitComponents(resolved);
  if (parts.empty()) {
    return ::openat(rootFd, ".", flags | O_CLOEXEC);
  }
  int at = rootFd;
  posix::UniqueFd held;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    posix::UniqueFd next(
        ::openat(at, parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid()) {
      return -1;
    }
    held = std::move(next);
    at = held.get();
  }
  posix::UniqueFd fd(::openat(at, parts.back().c_str(), flags | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (fd.valid() && (flags & O_PATH) != 0 && ::fstat(fd.get(), &st) == 0 && S_ISLNK(st.st_mode)) {
    errno = ELOOP;  // O_PATH|O_NOFOLLOW opens the link itself; openat2 would refuse it
    return -1;
  }
  return fd.release();
}

}  // namespace

posix::UniqueFd RootDir::openResolved(const std::string& resolved, int flags) const {
  if (gOpenat2Usable.load()) {
    int fd = openat2(fd_.get(), relative(resolved).c_str(), flags,
                     RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) {
      return posix::UniqueFd(fd);
    }
    if (errno == ENOSYS) {
      gOpenat2Usable = false;
    }
  }
  return posix::UniqueFd(walkOpen(fd_.get(), resolved, flags));
}

std::string RootDir::resolve(std::string_view path) const {
  std::deque<std::string> todo;
  for (std::string& c : splitComponents(path)) {
    todo.push_back(std::move(c));
  }
  std::vector<std::string> done;
  bool missing = false;  // once a component is missing, the rest is taken literally
  int links = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (applyDots(c, done)) {
      continue;
    }
    if (missing) {
      done.push_back(std::move(c));
      continue;
    }
    posix::UniqueFd parent = openResolved(joinComponents(done), O_PATH | O_DIRECTORY);
    struct stat st {};
    if (!parent.valid() || ::fstatat(parent.get(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      // Not there (or the parent is not a directory): later calls report it precisely.
      missing = true;
      done.push_back(std::move(c));
      continue;
    }
    if (!S_ISLNK(st.st_mode)) {
      done.push_back(std::move(c));
      continue;
    }
    if (++links > kMaxSymlinks) {
      throwSys("cannot resolve " + describe(path), ELOOP);
    }
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    ssize_t n = ::readlinkat(parent.get(), c.c_str(), target.data(), target.size());
    if (n < 0) {
      throwSys("cannot read symlink " + describe(joinComponents(done) + "/" + c));
    }
    target.resize(static_cast<size_t>(n));
    if (!target.empty() && target[0] == '/') {
      done.clear();
    }
    std::vector<std::string> parts = splitComponents(target);
    todo.insert(todo.begin(), parts.begin(), parts.end());
  }
  return joinComponents(done);
}

posix::UniqueFd RootDir::open(std::string_view path, int flags) const {
  return openResolved(resolve(path), flags);
}

posix::UniqueFd RootDir::openOrThrow(std::string_view path, int flags) const {
  posix::UniqueFd fd = open(path, flags);
  if (!fd.valid()) {
    throwSys("cannot open " + describe(path));
  }
  return fd;
}

std::optional<struct stat> RootDir::stat(std::string_view path) const {
  posix::UniqueFd fd = open(path, O_PATH);
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0) {
    return std::nullopt;
  }
  return st;
}

std::optional<struct stat> RootDir::lstat(std::string_view path) const {
  std::string clean = cleanAbsolute(path);
  if (clean == "/") {
    return stat("/");
  }
  auto [parent, name] = splitParent(clean);
  posix::UniqueFd dir = open(parent, O_PATH | O_DIRECTORY);
  struct stat st {};
  if (!dir.valid() || ::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return std::nullopt;
  }
  return st;
}

std::string RootDir::mkdirAll(std::string_view path, mode_t mode) const {
  const std::string resolved = resolve(path);
  std::vector<std::string> parts = splitComponents(resolved);
  std::vector<std::string> sofar;
  for (const std::string& c : parts) {
    posix::UniqueFd parent = openResolved(joinComponents(sofar), O_PATH | O_DIRECTORY);
    if (!parent.valid()) {
      throwSys("cannot create directory " + describe(resolved));
    }
    sofar.push_back(c);
    if (::mkdirat(parent.get(), c.c_str(), mode) == 0) {
      // mkdir(2) applies the umask; the mode asked for is the mode wanted.
      posix::UniqueFd made(
          ::openat(parent.get(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!made.valid() || ::fchmod(made.get(), mode) != 0) {
        throwSys("cannot set the mode of " + describe(joinComponents(sofar)));
      }
      continue;
    }
    if (errno != EEXIST) {
      throwSys("cannot create directory " + describe(joinComponents(sofar)));
    }
    struct stat st {};
    if (::fstatat(parent.get(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      throwSys("cannot create directory " + describe(joinComponents(sofar)));
    }
    if (!S_ISDIR(st.st_mode)) {
      throwSys("cannot create directory " + describe(joinComponents(sofar)), ENOTDIR);
    }
  }
  return resolved;
}

std::string RootDir::createFile(std::string_view path, mode_t mode) const {
  const std::string resolved = resolve(path);
  auto [parent, name] = splitParent(resolved);
  if (name.empty()) {
    throwSys("cannot create file " + describe(path), EISDIR);
  }
  mkdirAll(parent, 0755);
  posix::UniqueFd dir = openResolved(parent, O_PATH | O_DIRECTORY);
  if (!dir.valid()) {
    throwSys("cannot create file " + describe(resolved));
  }
  posix::UniqueFd fd(::openat(dir.get(), name.c_str(),
                              O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd.valid() && errno != EEXIST) {
    throwSys("cannot create file " + describe(resolved));
  }
  return resolved;
}

void RootDir::writeNewFile(std::string_view path, const std::string& data, mode_t mode) const {
  const std::string resolved = resolve(path);
  auto [parent, name] = splitParent(resolved);
  if (name.empty()) {
    throwSys("cannot create file " + describe(path), EISDIR);
  }
  mkdirAll(parent, 0755);
  posix::UniqueFd dir = openResolved(parent, O_PATH | O_DIRECTORY);
  posix::UniqueFd fd(dir.valid()
                         ? ::openat(dir.get(), name.c_str(),
                                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
                         : -1);
  if (!fd.valid() || ::fchmod(fd.get(), mode) != 0 || !posix::writeAll(fd.get(), data)) {
    throwSys("cannot write " + describe(resolved));
  }
}

void RootDir::symlink(std::string_view path, const std::string& target) const {
  std::string clean = cleanAbsolute(path);
  auto [parent, name] = splitParent(clean);
  posix::UniqueFd dir = open(parent, O_PATH | O_DIRECTORY);
  if (!dir.valid() || ::symlinkat(target.c_str(), dir.get(), name.c_str()) != 0) {
    throwSys("cannot create symlink " + describe(clean));
  }
}

std::string RootDir::readFile(std::string_view path) const {
  posix::UniqueFd fd = openOrThrow(path, O_RDONLY);
  return readAll(fd.get(), describe(path));
}

}  // namespace rkt::appexec
