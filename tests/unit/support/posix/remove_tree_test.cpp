// rkt::posix::removeTree on the trees a hostile app or image can leave: 20,000 levels under a
// descriptor limit, immutable and append-only entries, mode-000 directories owned by someone
// else, and mounts (bind mounts of the same filesystem included) that must never be entered.
// Children that need privileges or a private mount namespace report through their exit status.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/fs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/pod/pod_test_support.hpp"  // forkChild, waitChild
#include "rkt/support/posix/remove_tree.hpp"

namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

void writeFile(const std::string& path, const std::string& content = "x") {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || ::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size()))
    throw std::runtime_error("cannot write " + path);
  ::close(fd);
}

void mkdirOrThrow(const std::string& path, mode_t mode = 0755) {
  if (::mkdir(path.c_str(), mode) != 0)
    throw std::runtime_error("cannot mkdir " + path);
}

// `levels` nested directories `d` below `top`, built with descriptors (the path gets far longer
// than PATH_MAX); `atLevel` runs in some of them with the directory's fd.
void makeDeepTree(const std::string& top, int levels,
                  const std::function<void(int fd, int level)>& atLevel = nullptr) {
  int fd = ::open(top.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (int level = 1; fd >= 0 && level <= levels; ++level) {
    if (::mkdirat(fd, "d", 0755) != 0)
      break;
    int next = ::openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    fd = next;
    if (fd >= 0 && atLevel)
      atLevel(fd, level);
  }
  if (fd < 0)
    throw std::runtime_error("cannot build the deep tree");
  ::close(fd);
}

int highestOpenFd() {
  int highest = 2;
  for (int fd = 3; fd < 4096; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0)
      highest = fd;
  }
  return highest;
}

// Runs `body` in a child; its exit status (0 = passed, 77 = cannot run here, else the failed
// check) is returned.
int inChild(const std::function<int()>& body) {
  return podtest::waitChild(podtest::forkChild(body));
}

// inChild in a private mount namespace of its own; nullopt (with a SKIP line) when this process
// may not make one.
std::optional<int> inPrivateMountNamespace(const char* test, const std::function<int()>& body) {
  const int code = inChild([&] {
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      return 77;
    return body();
  });
  if (code == 77) {
    std::cerr << "\nSKIP " << test << ": no private mount namespace (not root)\n";
    return std::nullopt;
  }
  return code;
}

// FS_IOC_SETFLAGS on `path`; false when this filesystem or process cannot set attributes.
bool addFlags(const std::string& path, int add) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return false;
  int flags = 0;
  bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  flags |= add;
  ok = ok && ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

class RemoveTreeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RemoveTreeTest);
  CPPUNIT_TEST(removesEveryKindOfEntryAndFollowsNoSymlink);
  CPPUNIT_TEST(missingAndNonDirectoryTops);
  CPPUNIT_TEST(removesTwentyThousandLevelsWithBoundedDescriptors);
  CPPUNIT_TEST(deepTreeWithSiblingsAtEveryDepth);
  CPPUNIT_TEST(clearsImmutableAndAppendOnly);
  CPPUNIT_TEST(modeZeroDirectoriesOfAnotherOwner);
  CPPUNIT_TEST(neverEntersOrRemovesMounts);
  CPPUNIT_TEST(errorsNameTheEntryInOneShortLine);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    // tmpfs when there is one: building and removing 20,000 levels on a disk filesystem mounted
    // with `discard` takes a minute. tmpfs has attributes (immutable, append-only) too.
    const char* base = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    std::string tmpl = std::string(base) + "/rkt-remove-tree-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    base_ = tmpl;
    top_ = base_ + "/top";
    mkdirOrThrow(top_);
  }

  void tearDown() override {
    // Whatever a failed test left (attributes, modes) must not stop the cleanup.
    (void)rkt::posix::removeTree(base_);
  }

  void removesEveryKindOfEntryAndFollowsNoSymlink() {
    mkdirOrThrow(base_ + "/outside");
    writeFile(base_ + "/outside/keep");
    mkdirOrThrow(top_ + "/a");
    mkdirOrThrow(top_ + "/a/b");
    writeFile(top_ + "/a/b/file");
    writeFile(top_ + "/a/file");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink((base_ + "/outside").c_str(), (top_ + "/a/to-dir").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("/nonexistent", (top_ + "/dangling").c_str()));
    CPPUNIT_ASSERT_EQUAL(0,
                         ::link((base_ + "/outside/keep").c_str(), (top_ + "/hardlink").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::mkfifo((top_ + "/a/fifo").c_str(), 0600));
    CPPUNIT_ASSERT_EQUAL(0, ::chmod((top_ + "/a").c_str(), 0555));

    removeAndExpectGone(top_);
    CPPUNIT_ASSERT(exists(base_ + "/outside/keep"));
  }

  void missingAndNonDirectoryTops() {
    CPPUNIT_ASSERT(rkt::posix::removeTree(base_ + "/missing").ok());
    writeFile(base_ + "/file");
    CPPUNIT_ASSERT(rkt::posix::removeTree(base_ + "/file").ok());
    CPPUNIT_ASSERT(!exists(base_ + "/file"));
    writeFile(top_ + "/keep");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(top_.c_str(), (base_ + "/link").c_str()));
    CPPUNIT_ASSERT(rkt::posix::removeTree(base_ + "/link").ok());
    CPPUNIT_ASSERT(!exists(base_ + "/link"));
    CPPUNIT_ASSERT(exists(top_ + "/keep"));  // the symlink went, not what it points at
  }

  void removesTwentyThousandLevelsWithBoundedDescriptors() {
    makeDeepTree(top_, 20000, [](int fd, int level) {
      if (level % 1000 == 0)
        ::close(::openat(fd, "file", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    });
    // No more descriptors than the documented bound: RLIMIT_NOFILE is a limit on fd numbers,
    // so the removal may use exactly the numbers above the highest one open now.
    const int code = inChild([&] {
      const rlim_t limit = static_cast<rlim_t>(highestOpenFd() + 1 + rkt::posix::kRemoveTreeMaxFds);
      struct rlimit rl {
        limit, limit
      };
      if (::setrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 2;
      rkt::Status s = rkt::posix::removeTree(top_);
      if (!s) {
        std::cerr << s.error().message << '\n';
        return 3;
      }
      return exists(top_) ? 4 : 0;
    });
    CPPUNIT_ASSERT_EQUAL(0, code);
  }

  void deepTreeWithSiblingsAtEveryDepth() {
    // Levels far below the window come back through "..": their other entries (directories
    // with content, files) must all be found again.
    makeDeepTree(top_, 3000, [](int fd, int level) {
      if (level % 7 != 0)
        return;
      for (const char* name : {"s1", "s2"}) {
        ::mkdirat(fd, name, 0755);
        int sub = ::openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ::mkdirat(sub, "inner", 0700);
        ::close(::openat(sub, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
        ::close(sub);
      }
      ::close(::openat(fd, "zz-file", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    });
    removeAndExpectGone(top_);
  }

  void clearsImmutableAndAppendOnly() {
    mkdirOrThrow(top_ + "/dir");
    mkdirOrThrow(top_ + "/dir/append-dir");
    writeFile(top_ + "/dir/append-dir/file");
    writeFile(top_ + "/dir/immutable");
    writeFile(top_ + "/dir/append");
    mkdirOrThrow(top_ + "/dir/immutable-empty-dir");
    if (!addFlags(top_ + "/dir/immutable", FS_IMMUTABLE_FL)) {
      std::cerr << "\nSKIP clearsImmutableAndAppendOnly: cannot set FS_IMMUTABLE_FL in " << base_
                << " (not root, or the filesystem has no attributes)\n";
      return;
    }
    CPPUNIT_ASSERT(addFlags(top_ + "/dir/append", FS_APPEND_FL));
    CPPUNIT_ASSERT(addFlags(top_ + "/dir/append-dir", FS_APPEND_FL));
    CPPUNIT_ASSERT(addFlags(top_ + "/dir/immutable-empty-dir", FS_IMMUTABLE_FL));
    CPPUNIT_ASSERT(addFlags(top_ + "/dir", FS_IMMUTABLE_FL));
    CPPUNIT_ASSERT(addFlags(top_, FS_APPEND_FL));
    removeAndExpectGone(top_);
  }

  void modeZeroDirectoriesOfAnotherOwner() {
    mkdirOrThrow(top_ + "/closed");
    mkdirOrThrow(top_ + "/closed/inner");
    writeFile(top_ + "/closed/inner/file");
    mkdirOrThrow(top_ + "/readonly");
    writeFile(top_ + "/readonly/file");
    if (::getuid() != 0) {
      // Ours already: the tree as a non-root store would meet it.
      CPPUNIT_ASSERT_EQUAL(0, ::chmod((top_ + "/closed/inner").c_str(), 0));
      CPPUNIT_ASSERT_EQUAL(0, ::chmod((top_ + "/closed").c_str(), 0));
      CPPUNIT_ASSERT_EQUAL(0, ::chmod((top_ + "/readonly").c_str(), 0500));
      removeAndExpectGone(top_);
      return;
    }
    // As root, also as an unprivileged owner of the tree (no DAC override): give it away.
    const uid_t nobody = 65534;
    for (const char* p :
         {"", "/closed", "/closed/inner", "/closed/inner/file", "/readonly", "/readonly/file"}) {
      CPPUNIT_ASSERT_EQUAL(0, ::chown((top_ + p).c_str(), nobody, nobody));
    }
    CPPUNIT_ASSERT_EQUAL(0, ::chmod(base_.c_str(), 0777));  // the top's parent: writable for it
    CPPUNIT_ASSERT_EQUAL(0, ::chmod((top_ + "/closed/inner").c_str(), 0));
    CPPUNIT_ASSERT_EQUAL(0, ::chmod((top_ + "/closed").c_str(), 0));
    CPPUNIT_ASSERT_EQUAL(0, ::chmod((top_ + "/readonly").c_str(), 0500));
    const int code = inChild([&] {
      if (::setgroups(0, nullptr) != 0 || ::setresgid(nobody, nobody, nobody) != 0 ||
          ::setresuid(nobody, nobody, nobody) != 0)
        return 2;
      rkt::Status s = rkt::posix::removeTree(top_);
      if (!s) {
        std::cerr << s.error().message << '\n';
        return 3;
      }
      return 0;
    });
    CPPUNIT_ASSERT_EQUAL(0, code);
    CPPUNIT_ASSERT(!exists(top_));
  }

  void neverEntersOrRemovesMounts() {
    // A bind mount of a directory of the same filesystem (same st_dev), one of a file, and a
    // top that is itself a mount point; in a private mount namespace of a child.
    mkdirOrThrow(base_ + "/host");
    writeFile(base_ + "/host/precious");
    writeFile(base_ + "/host-file", "precious");
    mkdirOrThrow(top_ + "/a");
    mkdirOrThrow(top_ + "/a/mnt");
    writeFile(top_ + "/a/file-mnt");
    mkdirOrThrow(base_ + "/mounted-top");
    std::optional<int> code = inPrivateMountNamespace("neverEntersOrRemovesMounts", [&] {
      if (::mount((base_ + "/host").c_str(), (top_ + "/a/mnt").c_str(), nullptr, MS_BIND,
                  nullptr) != 0)
        return 2;
      rkt::Status s = rkt::posix::removeTree(top_);
      if (s.ok() || s.error().message.find("/a/mnt`: ") == std::string::npos ||
          s.error().message.find("mounted") == std::string::npos) {
        std::cerr << (s.ok() ? "removed" : s.error().message) << '\n';
        return 3;
      }
      if (!exists(base_ + "/host/precious"))
        return 4;
      if (::umount2((top_ + "/a/mnt").c_str(), 0) != 0)
        return 5;
      writeFile(top_ + "/a/file-mnt");  // the first removal may have got to it
      if (::mount((base_ + "/host-file").c_str(), (top_ + "/a/file-mnt").c_str(), nullptr, MS_BIND,
                  nullptr) != 0)
        return 6;
      s = rkt::posix::removeTree(top_);
      if (s.ok() || s.error().message.find("file-mnt") == std::string::npos)
        return 7;
      if (!exists(base_ + "/host-file"))
        return 8;
      ::umount2((top_ + "/a/file-mnt").c_str(), 0);
      if (::mount((base_ + "/host").c_str(), (base_ + "/mounted-top").c_str(), nullptr, MS_BIND,
                  nullptr) != 0)
        return 9;
      s = rkt::posix::removeTree(base_ + "/mounted-top");
      if (s.ok() || s.error().message.find("is a mount point") == std::string::npos)
        return 10;
      if (!exists(base_ + "/host/precious"))
        return 11;
      return 0;
    });
    if (!code)
      return;
    CPPUNIT_ASSERT_EQUAL(0, *code);
    CPPUNIT_ASSERT(exists(base_ + "/host/precious"));
    CPPUNIT_ASSERT(rkt::posix::removeTree(top_).ok());
  }

  void errorsNameTheEntryInOneShortLine() {
    // An entry that cannot be removed 5,000 levels down: a bind mount (in a child's namespace).
    mkdirOrThrow(base_ + "/host");
    const std::string top = top_;
    std::optional<int> code = inPrivateMountNamespace("errorsNameTheEntryInOneShortLine", [&] {
      int mountFd = -1;
      makeDeepTree(top, 5000, [&](int fd, int level) {
        if (level == 5000) {
          ::mkdirat(fd, "stuck", 0755);
          mountFd = ::openat(fd, "stuck", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
      });
      // Through /proc/self/fd: the path is far longer than mount(2) accepts.
      if (mountFd < 0 ||
          ::mount((base_ + "/host").c_str(), ("/proc/self/fd/" + std::to_string(mountFd)).c_str(),
                  nullptr, MS_BIND, nullptr) != 0)
        return 2;
      ::close(mountFd);
      rkt::Status s = rkt::posix::removeTree(top);
      if (s.ok())
        return 3;
      const std::string& m = s.error().message;
      if (m.size() > 400 || m.find('\n') != std::string::npos ||
          m.rfind("refusing to remove `" + top + "/…/d/d/", 0) != 0 ||
          m.find("/stuck`") == std::string::npos) {
        std::cerr << "\nmessage: " << m << '\n';
        return 4;
      }
      return 0;
    });
    if (!code)
      return;
    CPPUNIT_ASSERT_EQUAL(0, *code);
  }

 private:
  static void removeAndExpectGone(const std::string& path) {
    rkt::Status s = rkt::posix::removeTree(path);
    CPPUNIT_ASSERT_MESSAGE(s.ok() ? "" : s.error().message, s.ok());
    CPPUNIT_ASSERT(!exists(path));
  }

  std::string base_;
  std::string top_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RemoveTreeTest);
