// copyTree: everything a rootfs holds arrives, nothing is followed through a symlink.
#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "rkt/core/util/copy_tree.hpp"

namespace fs = std::filesystem;
using rkt::util::copyTree;

class CopyTreeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CopyTreeTest);
  CPPUNIT_TEST(copiesContentModesAndLinks);
  CPPUNIT_TEST(keepsOwnersNodesAndXattrsAsRoot);
  CPPUNIT_TEST(refusesExistingDestination);
  CPPUNIT_TEST(keepsModesTheUmaskWouldStripAndGroupsUnderSetgid);
  CPPUNIT_TEST(copiesManyDirectoriesOnSeveralThreads);
  CPPUNIT_TEST(keepsHardLinksAcrossDirectories);
  CPPUNIT_TEST(keepsRestrictiveModesAsRoot);
  CPPUNIT_TEST(stopsEveryThreadAtTheFirstError);
  CPPUNIT_TEST(staysWithinTheDescriptorLimit);
  CPPUNIT_TEST(keepsHolesOfSparseFiles);
  CPPUNIT_TEST(copyFileDataStreamsIntoPipesAndFullFiles);
  CPPUNIT_TEST_SUITE_END();

  std::string dir_;
  int threadsBefore_ = 0;  // a sanitizer's runtime may have threads of its own

  std::string path(const std::string& rel) const { return dir_ + "/" + rel; }
  void write(const std::string& rel, const std::string& content, mode_t mode = 0644) {
    std::ofstream(path(rel)) << content;
    ::chmod(path(rel).c_str(), mode);
  }
  std::string read(const std::string& rel) const {
    std::ifstream in(path(rel));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  struct stat lst(const std::string& rel) const {
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::lstat(path(rel).c_str(), &st));
    return st;
  }
  void setMtime(const std::string& rel, time_t sec) {
    struct timespec times[2] = {{sec, 0}, {sec, 0}};
    CPPUNIT_ASSERT_EQUAL(0, ::utimensat(AT_FDCWD, path(rel).c_str(), times, AT_SYMLINK_NOFOLLOW));
  }
  // `count` files named f0.. in `rel`, each holding its own relative path.
  void fill(const std::string& rel, int count) {
    fs::create_directories(path(rel));
    for (int i = 0; i < count; ++i) {
      const std::string f = rel + "/f" + std::to_string(i);
      write(f, f);
    }
  }
  // Threads of this process: copyTree must leave none behind, whatever happened.
  static int threads() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("Threads:", 0) == 0) {
        return std::stoi(line.substr(8));
      }
    }
    return -1;
  }
  // A tree of 50 directories of 300 files and one of 2000, each directory with its own mtime.
  std::vector<std::string> makeManyDirectories(const std::string& base) {
    std::vector<std::string> dirs;
    for (int d = 0; d < 50; ++d) {
      dirs.push_back(base + "/d" + std::to_string(d));
      fill(dirs.back(), 300);
    }
    dirs.push_back(base + "/huge");
    fill(dirs.back(), 2000);
    dirs.push_back(base);
    for (std::size_t i = 0; i < dirs.size(); ++i) {
      setMtime(dirs[i], static_cast<time_t>(1000000 + i * 1000));
    }
    return dirs;
  }

 public:
  void setUp() override {
    char tmpl[] = "/tmp/rkt-copytree-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    threadsBefore_ = threads();
    fs::create_directories(path("src/dir/sub"));
    write("src/file", "hello\n", 04755);
    write("src/dir/sub/deep", std::string(3 << 20, 'x'));
    ::symlink("/etc/passwd", path("src/abs-link").c_str());
    ::symlink("../file", path("src/dir/rel-link").c_str());
    ::link(path("src/file").c_str(), path("src/dir/hard").c_str());
    ::chmod(path("src/dir").c_str(), 01750);
    struct timespec times[2] = {{1000000, 0}, {1500000000, 123000000}};
    ::utimensat(AT_FDCWD, path("src/dir/sub/deep").c_str(), times, 0);
    ::utimensat(AT_FDCWD, path("src/dir").c_str(), times, 0);
  }
  void tearDown() override { fs::remove_all(dir_); }

  void copiesContentModesAndLinks() {
    auto r = copyTree(path("src"), path("dst"));
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("hello\n"), read("dst/file"));
    CPPUNIT_ASSERT_EQUAL(std::size_t{3} << 20, read("dst/dir/sub/deep").size());
    CPPUNIT_ASSERT_EQUAL(mode_t{04755}, lst("dst/file").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(mode_t{01750}, lst("dst/dir").st_mode & 07777);
    CPPUNIT_ASSERT(S_ISLNK(lst("dst/abs-link").st_mode));
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/passwd"),
                         fs::read_symlink(path("dst/abs-link")).string());
    CPPUNIT_ASSERT_EQUAL(std::string("../file"),
                         fs::read_symlink(path("dst/dir/rel-link")).string());
    CPPUNIT_ASSERT_EQUAL(lst("dst/file").st_ino, lst("dst/dir/hard").st_ino);
    CPPUNIT_ASSERT(lst("dst/file").st_ino != lst("src/file").st_ino);
    CPPUNIT_ASSERT_EQUAL(time_t{1500000000}, lst("dst/dir/sub/deep").st_mtim.tv_sec);
    CPPUNIT_ASSERT_EQUAL(123000000L, lst("dst/dir/sub/deep").st_mtim.tv_nsec);
    CPPUNIT_ASSERT_EQUAL(time_t{1500000000}, lst("dst/dir").st_mtim.tv_sec);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t{7}, r->entries);  // file deep dir sub 2 links hard
  }

  void keepsOwnersNodesAndXattrsAsRoot() {
    if (::geteuid() != 0) {
      return;  // owners, nodes and security xattrs need root
    }
    ::lchown(path("src/file").c_str(), 1000, 1001);
    ::chmod(path("src/file").c_str(), 04755);  // chown cleared setuid
    ::lchown(path("src/abs-link").c_str(), 7, 8);
    ::mknod(path("src/null").c_str(), S_IFCHR | 0666, makedev(1, 3));
    ::mkfifo(path("src/fifo").c_str(), 0600);
    const bool xattrs = ::setxattr(path("src/dir/sub/deep").c_str(), "user.rkt", "v", 1, 0) == 0;
    auto r = copyTree(path("src"), path("dst"));
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(uid_t{1000}, lst("dst/file").st_uid);
    CPPUNIT_ASSERT_EQUAL(gid_t{1001}, lst("dst/file").st_gid);
    CPPUNIT_ASSERT_EQUAL(mode_t{04755}, lst("dst/file").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(uid_t{7}, lst("dst/abs-link").st_uid);
    CPPUNIT_ASSERT(S_ISCHR(lst("dst/null").st_mode));
    CPPUNIT_ASSERT_EQUAL(makedev(1, 3), lst("dst/null").st_rdev);
    CPPUNIT_ASSERT(S_ISFIFO(lst("dst/fifo").st_mode));
    if (xattrs) {
      char v[8] = {};
      CPPUNIT_ASSERT_EQUAL(ssize_t{1},
                           ::getxattr(path("dst/dir/sub/deep").c_str(), "user.rkt", v, sizeof v));
      CPPUNIT_ASSERT_EQUAL('v', v[0]);
    }
  }

  // Files are created with their final mode where the umask allows it; what it strips, and the
  // group a setgid destination would impose, are still set right.
  void keepsModesTheUmaskWouldStripAndGroupsUnderSetgid() {
    write("src/open", "o", 0666);
    write("src/exec", "x", 0777);
    write("src/plain", "p", 0644);
    const mode_t old = ::umask(022);
    fs::create_directories(path("sg"));
    const bool root = ::geteuid() == 0;
    if (root) {
      CPPUNIT_ASSERT_EQUAL(0, ::chown(path("sg").c_str(), 0, 4242));
      ::lchown(path("src/plain").c_str(), 0, ::getegid());
    }
    CPPUNIT_ASSERT_EQUAL(0, ::chmod(path("sg").c_str(), 02775));
    auto r = copyTree(path("src"), path("sg/dst"));
    ::umask(old);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(mode_t{0666}, lst("sg/dst/open").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(mode_t{0777}, lst("sg/dst/exec").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(mode_t{0644}, lst("sg/dst/plain").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(mode_t{04755}, lst("sg/dst/file").st_mode & 07777);
    if (root) {
      CPPUNIT_ASSERT_EQUAL(lst("src/plain").st_gid, lst("sg/dst/plain").st_gid);
      CPPUNIT_ASSERT_EQUAL(lst("src/dir/sub/deep").st_gid, lst("sg/dst/dir/sub/deep").st_gid);
    }
  }

  void refusesExistingDestination() {
    fs::create_directories(path("dst"));
    CPPUNIT_ASSERT(!copyTree(path("src"), path("dst")).ok());
    CPPUNIT_ASSERT(!copyTree(path("src/file"), path("dst2")).ok());
    CPPUNIT_ASSERT(!copyTree(path("missing"), path("dst3")).ok());
  }

  // Serially and on four threads (more than this machine may have cores: interleavings happen),
  // every file arrives whole and every directory keeps its time although its content was
  // written by several threads.
  void copiesManyDirectoriesOnSeveralThreads() {
    const std::vector<std::string> dirs = makeManyDirectories("many");
    for (unsigned n : {1U, 4U}) {
      const std::string out = "copy" + std::to_string(n);
      auto r = copyTree(path("many"), path(out), n);
      CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
      CPPUNIT_ASSERT_EQUAL(threadsBefore_, threads());
      CPPUNIT_ASSERT_EQUAL(std::uint64_t{51 + 50 * 300 + 2000}, r->entries);
      std::uint64_t bytes = 0;
      for (std::size_t i = 0; i < dirs.size(); ++i) {
        const std::string copied = out + dirs[i].substr(4);  // "many..." -> "copyN..."
        CPPUNIT_ASSERT_EQUAL_MESSAGE(copied, static_cast<time_t>(1000000 + i * 1000),
                                     lst(copied).st_mtim.tv_sec);
        if (dirs[i] == "many") {
          continue;
        }
        const int files = dirs[i] == "many/huge" ? 2000 : 300;
        for (int f = 0; f < files; ++f) {
          const std::string name = "/f" + std::to_string(f);
          CPPUNIT_ASSERT_EQUAL(dirs[i] + name, read(copied + name));
          bytes += (dirs[i] + name).size();
        }
      }
      CPPUNIT_ASSERT_EQUAL(bytes, r->bytes);
    }
  }

  // Names of one inode in many directories, copied by different threads, stay one inode; so do
  // a multi-linked FIFO and symlink (created, not opened, by the first thread to meet them).
  void keepsHardLinksAcrossDirectories() {
    for (int d = 0; d < 20; ++d) {
      fill("links/d" + std::to_string(d), 200);
    }
    ::mkfifo(path("links/d0/fifo").c_str(), 0600);
    ::symlink("target", path("links/d0/sym").c_str());
    for (int k = 0; k < 10; ++k) {
      write("links/d0/inode" + std::to_string(k), "inode" + std::to_string(k));
      for (int d = 1; d < 20; ++d) {
        const std::string to = "links/d" + std::to_string(d) + "/inode" + std::to_string(k);
        CPPUNIT_ASSERT_EQUAL(
            0, ::link(path("links/d0/inode" + std::to_string(k)).c_str(), path(to).c_str()));
      }
    }
    CPPUNIT_ASSERT_EQUAL(0, ::link(path("links/d0/fifo").c_str(), path("links/d7/fifo").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::link(path("links/d0/sym").c_str(), path("links/d13/sym").c_str()));
    auto r = copyTree(path("links"), path("copy"), 4);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(threadsBefore_, threads());
    std::vector<ino_t> seen;
    for (int k = 0; k < 10; ++k) {
      const std::string name = "/inode" + std::to_string(k);
      const struct stat first = lst("copy/d0" + name);
      CPPUNIT_ASSERT_EQUAL(nlink_t{20}, first.st_nlink);
      CPPUNIT_ASSERT(std::find(seen.begin(), seen.end(), first.st_ino) == seen.end());
      seen.push_back(first.st_ino);
      for (int d = 0; d < 20; ++d) {
        const std::string copied = "copy/d" + std::to_string(d) + name;
        CPPUNIT_ASSERT_EQUAL(first.st_ino, lst(copied).st_ino);
        CPPUNIT_ASSERT_EQUAL(name.substr(1), read(copied));
      }
    }
    CPPUNIT_ASSERT(S_ISFIFO(lst("copy/d7/fifo").st_mode));
    CPPUNIT_ASSERT_EQUAL(lst("copy/d0/fifo").st_ino, lst("copy/d7/fifo").st_ino);
    CPPUNIT_ASSERT(S_ISLNK(lst("copy/d13/sym").st_mode));
    CPPUNIT_ASSERT_EQUAL(lst("copy/d0/sym").st_ino, lst("copy/d13/sym").st_ino);
  }

  // Directories without write or search permission are finished only after their content is
  // in, files without any permission are still copied (root reads them).
  void keepsRestrictiveModesAsRoot() {
    if (::geteuid() != 0) {
      return;
    }
    for (int d = 0; d < 8; ++d) {
      const std::string dir = "modes/ro" + std::to_string(d);
      fill(dir + "/sub", 150);
      fill(dir, 150);
      write(dir + "/none", "secret", 0);
      write(dir + "/sub/none", "secret", 0);
      ::link(path(dir + "/none").c_str(), path("modes/link" + std::to_string(d)).c_str());
      ::chmod(path(dir + "/sub").c_str(), 0);
      ::chmod(path(dir).c_str(), 0555);
      setMtime(dir + "/sub", 2000000 + d);
      setMtime(dir, 3000000 + d);
    }
    ::chmod(path("modes").c_str(), 0555);
    auto r = copyTree(path("modes"), path("copy"), 4);
    ::chmod(path("modes").c_str(), 0755);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(threadsBefore_, threads());
    CPPUNIT_ASSERT_EQUAL(mode_t{0555}, lst("copy").st_mode & 07777);
    for (int d = 0; d < 8; ++d) {
      const std::string dir = "copy/ro" + std::to_string(d);
      CPPUNIT_ASSERT_EQUAL(mode_t{0555}, lst(dir).st_mode & 07777);
      CPPUNIT_ASSERT_EQUAL(mode_t{0}, lst(dir + "/sub").st_mode & 07777);
      CPPUNIT_ASSERT_EQUAL(mode_t{0}, lst(dir + "/sub/none").st_mode & 07777);
      CPPUNIT_ASSERT_EQUAL(std::string("secret"), read(dir + "/sub/none"));
      CPPUNIT_ASSERT_EQUAL(lst(dir + "/none").st_ino, lst("copy/link" + std::to_string(d)).st_ino);
      CPPUNIT_ASSERT_EQUAL(time_t{2000000 + d}, lst(dir + "/sub").st_mtim.tv_sec);
      CPPUNIT_ASSERT_EQUAL(time_t{3000000 + d}, lst(dir).st_mtim.tv_sec);
      CPPUNIT_ASSERT_EQUAL("modes/" + dir.substr(5) + "/sub/f149", read(dir + "/sub/f149"));
    }
  }

  // One file among thousands cannot be written (the file size limit, which binds root too):
  // that error is returned, and only after every thread has stopped.
  void stopsEveryThreadAtTheFirstError() {
    for (int d = 0; d < 30; ++d) {
      fill("err/d" + std::to_string(d), 100);
    }
    write("err/d15/big", std::string(1 << 20, 'b'));
    struct rlimit old {};
    CPPUNIT_ASSERT_EQUAL(0, ::getrlimit(RLIMIT_FSIZE, &old));
    struct rlimit small = old;
    small.rlim_cur = 64 << 10;
    auto oldHandler = ::signal(SIGXFSZ, SIG_IGN);  // else the process dies instead of EFBIG
    CPPUNIT_ASSERT_EQUAL(0, ::setrlimit(RLIMIT_FSIZE, &small));
    auto r = copyTree(path("err"), path("copy"), 4);
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::signal(SIGXFSZ, oldHandler);
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("cannot copy `d15/big`: file too large"), r.error().message);
    CPPUNIT_ASSERT_EQUAL(EFBIG, r.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL(threadsBefore_, threads());
  }

  // Hundreds of subdirectories met at once are not all held open: with a descriptor limit of 96
  // (room for 48 open directories at most) the copy still succeeds.
  // An 8 GiB sparse file with two 4 KiB blocks of data: the copy has the same content and
  // size and allocates its data only (issue 9: render copied 8 GiB of zeros to disk).
  void keepsHolesOfSparseFiles() {
    fs::create_directories(path("src"));
    const int fd = ::open(path("src/sparse").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    CPPUNIT_ASSERT(fd >= 0);
    const std::string a(4096, 'a');
    const std::string b(4096, 'b');
    const off_t far = off_t{3} << 30;
    const off_t size = off_t{8} << 30;
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(a.size()), ::pwrite(fd, a.data(), a.size(), 4096));
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(b.size()), ::pwrite(fd, b.data(), b.size(), far));
    CPPUNIT_ASSERT_EQUAL(0, ::ftruncate(fd, size));
    ::close(fd);
    auto r = copyTree(path("src"), path("dst"));
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    struct stat st = lst("dst/sparse");
    CPPUNIT_ASSERT_EQUAL(size, st.st_size);
    // 512-byte blocks: a few pages of data, far from 8 GiB.
    CPPUNIT_ASSERT_MESSAGE(std::to_string(st.st_blocks), st.st_blocks < 4096);
    const int in = ::open(path("dst/sparse").c_str(), O_RDONLY | O_CLOEXEC);
    std::string got(4096, '\0');
    CPPUNIT_ASSERT_EQUAL(ssize_t{4096}, ::pread(in, got.data(), got.size(), 4096));
    CPPUNIT_ASSERT(got == a);
    CPPUNIT_ASSERT_EQUAL(ssize_t{4096}, ::pread(in, got.data(), got.size(), far));
    CPPUNIT_ASSERT(got == b);
    CPPUNIT_ASSERT_EQUAL(ssize_t{4096}, ::pread(in, got.data(), got.size(), 0));
    CPPUNIT_ASSERT(got == std::string(4096, '\0'));
    CPPUNIT_ASSERT_EQUAL(ssize_t{4096}, ::pread(in, got.data(), got.size(), size - 4096));
    CPPUNIT_ASSERT(got == std::string(4096, '\0'));
    ::close(in);
  }

  // Where holes cannot be kept safely, the data is streamed as before: into a pipe, and onto
  // an output that already holds bytes (they are overwritten, not left in the holes).
  void copyFileDataStreamsIntoPipesAndFullFiles() {
    fs::create_directories(path("s"));
    const int fd = ::open(path("s/in").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    CPPUNIT_ASSERT_EQUAL(ssize_t{2}, ::pwrite(fd, "xy", 2, 100000));  // a hole, then "xy"
    write("s/out", std::string(200000, 'o'));
    const int out = ::open(path("s/out").c_str(), O_WRONLY | O_CLOEXEC);
    auto n = rkt::util::copyFileData(fd, out, "copy");
    CPPUNIT_ASSERT_MESSAGE(n ? "" : n.error().message, n.ok());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t{100002}, *n);
    ::close(out);
    const std::string copied = read("s/out");
    CPPUNIT_ASSERT(copied.substr(0, 100002) == std::string(100000, '\0') + "xy");
    int p[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe(p));
    CPPUNIT_ASSERT_EQUAL(off_t{99999}, ::lseek(fd, 99999, SEEK_SET));
    auto m = rkt::util::copyFileData(fd, p[1], "copy");
    CPPUNIT_ASSERT_MESSAGE(m ? "" : m.error().message, m.ok());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, *m);
    char buf[4] = {};
    CPPUNIT_ASSERT_EQUAL(ssize_t{3}, ::read(p[0], buf, sizeof buf));
    CPPUNIT_ASSERT(std::string(buf, 3) == std::string("\0xy", 3));
    ::close(p[0]);
    ::close(p[1]);
    ::close(fd);
  }

  void staysWithinTheDescriptorLimit() {
    for (int d = 0; d < 300; ++d) {
      for (int s = 0; s < 3; ++s) {
        fill("wide/d" + std::to_string(d) + "/s" + std::to_string(s), 1);
      }
    }
    struct rlimit old {};
    CPPUNIT_ASSERT_EQUAL(0, ::getrlimit(RLIMIT_NOFILE, &old));
    struct rlimit few = old;
    few.rlim_cur = 96;
    CPPUNIT_ASSERT_EQUAL(0, ::setrlimit(RLIMIT_NOFILE, &few));
    auto r = copyTree(path("wide"), path("copy"), 4);
    ::setrlimit(RLIMIT_NOFILE, &old);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t{300 + 900 + 900}, r->entries);
    CPPUNIT_ASSERT_EQUAL(std::string("wide/d299/s2/f0"), read("copy/d299/s2/f0"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CopyTreeTest);
