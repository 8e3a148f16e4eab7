// Helpers for the archive support library's tests: a tar builder over libarchive's writer
// (which writes whatever name it is given, so hostile archives are easy to craft), compression
// of raw bytes, a sandbox directory and a tree listing to prove nothing escaped the target.
#ifndef RKT_TESTS_UNIT_SUPPORT_ARCHIVE_ARCHIVE_FIXTURE_HPP
#define RKT_TESTS_UNIT_SUPPORT_ARCHIVE_ARCHIVE_FIXTURE_HPP

#include <rkt/support/archive/import.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rkt::archive::testing {

/// Attributes of a crafted entry.
struct EntryAttrs {
  unsigned mode = 0;  // 0: the type's default (0644 files, 0755 dirs, 0777 symlinks)
  long uid = 0;
  long gid = 0;
  long mtime = 1500000000;
  long mtimeNsec = 0;
  std::map<std::string, std::string> xattrs;
};

inline EntryAttrs withMode(unsigned mode) {
  EntryAttrs a;
  a.mode = mode;
  return a;
}

/// Builds a tar in memory. Every entry is written exactly as given.
class TarBuilder {
 public:
  explicit TarBuilder(bool pax = true) : a_(archive_write_new()) {
    if (pax) {
      archive_write_set_format_pax(a_);
    } else {
      archive_write_set_format_ustar(a_);
    }
    archive_write_add_filter_none(a_);
    archive_write_open(a_, &out_, nullptr, &TarBuilder::writeCb, nullptr);
  }
  ~TarBuilder() { archive_write_free(a_); }
  TarBuilder(const TarBuilder&) = delete;
  TarBuilder& operator=(const TarBuilder&) = delete;

  using Attrs = EntryAttrs;

  TarBuilder& file(const std::string& name, const std::string& data, Attrs at = EntryAttrs()) {
    return add(name, AE_IFREG, at.mode ? at.mode : 0644, at, data);
  }
  TarBuilder& dir(const std::string& name, Attrs at = EntryAttrs()) {
    return add(name, AE_IFDIR, at.mode ? at.mode : 0755, at, "");
  }
  TarBuilder& symlink(const std::string& name, const std::string& target, Attrs at = EntryAttrs()) {
    return add(name, AE_IFLNK, at.mode ? at.mode : 0777, at, "", target);
  }
  TarBuilder& hardlink(const std::string& name, const std::string& target,
                       Attrs at = EntryAttrs()) {
    return add(name, AE_IFREG, at.mode ? at.mode : 0644, at, "", "", target);
  }
  TarBuilder& fifo(const std::string& name, Attrs at = EntryAttrs()) {
    return add(name, AE_IFIFO, at.mode ? at.mode : 0644, at, "");
  }
  TarBuilder& chardev(const std::string& name, unsigned major, unsigned minor,
                      Attrs at = EntryAttrs()) {
    major_ = major;
    minor_ = minor;
    return add(name, AE_IFCHR, at.mode ? at.mode : 0666, at, "");
  }

  /// A sparse file: `data` is the whole content, `extents` (offset, length) the parts stored.
  TarBuilder& sparseFile(const std::string& name, const std::string& data,
                         const std::vector<std::pair<long, long>>& extents) {
    sparse_ = extents;
    return add(name, AE_IFREG, 0644, EntryAttrs(), data);
  }

  /// The finished archive (end-of-archive marker and block padding included).
  std::string finish() {
    archive_write_close(a_);
    return out_;
  }

 private:
  static la_ssize_t writeCb(struct archive*, void* out, const void* buf, size_t len) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(buf), len);
    return static_cast<la_ssize_t>(len);
  }

  TarBuilder& add(const std::string& name, unsigned type, unsigned mode, const Attrs& at,
                  const std::string& data, const std::string& symlink = "",
                  const std::string& hardlink = "") {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, mode);
    archive_entry_set_uid(e, at.uid);
    archive_entry_set_gid(e, at.gid);
    archive_entry_set_mtime(e, at.mtime, at.mtimeNsec);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    if (!symlink.empty())
      archive_entry_set_symlink(e, symlink.c_str());
    if (!hardlink.empty())
      archive_entry_set_hardlink(e, hardlink.c_str());
    if (type == AE_IFCHR || type == AE_IFBLK) {
      archive_entry_set_rdevmajor(e, major_);
      archive_entry_set_rdevminor(e, minor_);
    }
    for (const auto& [off, len] : sparse_)
      archive_entry_sparse_add_entry(e, off, len);
    sparse_.clear();
    for (const auto& [k, v] : at.xattrs)
      archive_entry_xattr_add_entry(e, k.c_str(), v.data(), v.size());
    if (archive_write_header(a_, e) != ARCHIVE_OK) {
      std::string msg = archive_error_string(a_) ? archive_error_string(a_) : "?";
      archive_entry_free(e);
      throw std::runtime_error("tar builder: " + name + ": " + msg);
    }
    if (!data.empty())
      archive_write_data(a_, data.data(), data.size());
    archive_entry_free(e);
    return *this;
  }

  struct archive* a_;
  std::string out_;
  unsigned major_ = 0;
  unsigned minor_ = 0;
  std::vector<std::pair<long, long>> sparse_;
};

/// Compresses `bytes` as a single stream (libarchive's raw writer; no padding).
inline std::string compress(const std::string& bytes, Compression c) {
  if (c == Compression::None)
    return bytes;
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  if (c == Compression::Gzip)
    archive_write_add_filter_gzip(a);
  if (c == Compression::Bzip2)
    archive_write_add_filter_bzip2(a);
  if (c == Compression::Xz)
    archive_write_add_filter_xz(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(
      a, &out, nullptr,
      [](struct archive*, void* o, const void* buf, size_t len) -> la_ssize_t {
        static_cast<std::string*>(o)->append(static_cast<const char*>(buf), len);
        return static_cast<la_ssize_t>(len);
      },
      nullptr);
  archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "data");
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, static_cast<la_int64_t>(bytes.size()));
  archive_write_header(a, e);
  archive_write_data(a, bytes.data(), bytes.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

inline std::string sha512Hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha512(), nullptr);
  std::string hex;
  static const char* d = "0123456789abcdef";
  for (unsigned int i = 0; i < n; ++i) {
    hex += d[md[i] >> 4];
    hex += d[md[i] & 15];
  }
  return hex;
}

/// ContentDigest (digest.hpp) of `content`, written out from its definition: the record stream
/// ("Z" + count of a zero-block run, "D" + a 4 KiB block, "T" + the tail) hashed with SHA-256.
/// Raw digest bytes.
inline std::string referenceContentDigest(const std::string& content) {
  constexpr std::size_t kBlock = 4096;
  std::string records;
  std::uint64_t zeros = 0;
  auto flushZeros = [&] {
    if (zeros == 0)
      return;
    records += 'Z';
    for (int i = 0; i < 8; ++i)
      records += static_cast<char>((zeros >> (8 * i)) & 0xff);
    zeros = 0;
  };
  std::size_t pos = 0;
  for (; pos + kBlock <= content.size(); pos += kBlock) {
    if (content.compare(pos, kBlock, std::string(kBlock, '\0')) == 0) {
      ++zeros;
      continue;
    }
    flushZeros();
    records += 'D';
    records.append(content, pos, kBlock);
  }
  flushZeros();
  if (pos < content.size())
    records += 'T' + content.substr(pos);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(records.data(), records.size(), md, &n, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md), n);
}

/// Deterministic pseudo-random bytes (incompressible enough to span many chunks compressed).
inline std::string noise(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  unsigned x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return s;
}

inline void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f)
    throw std::runtime_error("cannot write " + path);
}

inline std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

inline struct stat lstatOf(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0)
    throw std::runtime_error("lstat " + path);
  return st;
}

// Removes `name` below `dirfd` recursively with descriptors only, so trees deeper than PATH_MAX
// (the long-name tests make them) go too.
inline void removeAt(int dirfd, const char* name) {
  if (::unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
    return;
  int fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return;
  ::fchmod(fd, 0700);
  if (DIR* d = ::fdopendir(fd)) {
    std::vector<std::string> names;
    while (struct dirent* ent = ::readdir(d)) {
      std::string n = ent->d_name;
      if (n != "." && n != "..")
        names.push_back(n);
    }
    for (const auto& n : names)
      removeAt(::dirfd(d), n.c_str());
    ::closedir(d);
  } else {
    ::close(fd);
  }
  ::unlinkat(dirfd, name, AT_REMOVEDIR);
}

inline void removeTree(const std::string& path) {
  removeAt(AT_FDCWD, path.c_str());
}

/// Every path below `dir` (relative) with its lstat(2), symlinks not followed. Works for
/// paths longer than PATH_MAX (nftw walks with descriptors).
inline std::map<std::string, struct stat> statTree(const std::string& dir) {
  static thread_local std::map<std::string, struct stat>* out;
  static thread_local std::size_t cut;
  std::map<std::string, struct stat> result;
  out = &result;
  cut = dir.size() + 1;
  ::nftw(
      dir.c_str(),
      [](const char* p, const struct stat* st, int, struct FTW*) -> int {
        std::string s = p;
        if (s.size() >= cut)
          (*out)[s.substr(cut)] = *st;
        return 0;
      },
      64, FTW_PHYS);
  return result;
}

inline std::set<std::string> listTree(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& [name, st] : statTree(dir))
    names.insert(name);
  return names;
}

/// A scratch directory holding the extraction target and decoys an escape would touch:
///   S/target/   the extraction target
///   S/secret    a file whose content, inode and link count must not change
///   S/outdir/   a directory that must stay empty
///   S/in/       the archives under test
class Sandbox {
 public:
  Sandbox() {
    char tmpl[] = "/tmp/rkt-archive-test.XXXXXX";
    if (::mkdtemp(tmpl) == nullptr)
      throw std::runtime_error("mkdtemp");
    root = tmpl;
    target = root + "/target";
    ::mkdir(target.c_str(), 0755);
    ::mkdir((root + "/outdir").c_str(), 0755);
    ::mkdir((root + "/in").c_str(), 0755);
    writeFile(root + "/secret", "secret");
    secretIno_ = lstatOf(root + "/secret").st_ino;
  }
  ~Sandbox() { removeTree(root); }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  /// Writes an archive into S/in and returns its path.
  std::string archive(const std::string& bytes, const std::string& name = "image.aci") {
    std::string p = root + "/in/" + name;
    writeFile(p, bytes);
    return p;
  }

  /// Asserts that nothing outside S/target was created, changed or removed.
  void assertContained() const {
    std::set<std::string> outside;
    for (const auto& p : listTree(root)) {
      if (p == "target" || p.rfind("target/", 0) == 0)
        continue;
      if (p.rfind("in/", 0) == 0 && p.find('/', 3) == std::string::npos)
        continue;
      outside.insert(p);
    }
    std::set<std::string> expected = {"in", "outdir", "secret"};
    std::string got;
    for (const auto& p : outside)
      got += p + " ";
    CPPUNIT_ASSERT_MESSAGE("unexpected entries outside the target: " + got, outside == expected);
    struct stat st = lstatOf(root + "/secret");
    CPPUNIT_ASSERT(S_ISREG(st.st_mode));
    CPPUNIT_ASSERT_EQUAL(secretIno_, st.st_ino);
    CPPUNIT_ASSERT_EQUAL(static_cast<nlink_t>(1), st.st_nlink);
    CPPUNIT_ASSERT_EQUAL(std::string("secret"), readFile(root + "/secret"));
    CPPUNIT_ASSERT(S_ISDIR(lstatOf(root + "/outdir").st_mode));
    CPPUNIT_ASSERT(listTree(root + "/outdir").empty());
    // No inode inside the target may be the secret (a hard link that escaped the other way).
    for (const auto& [p, t] : statTree(target)) {
      CPPUNIT_ASSERT_MESSAGE("target/" + p + " is the secret's inode",
                             !(t.st_ino == secretIno_ && t.st_dev == st.st_dev));
    }
  }

  std::string root;
  std::string target;

 private:
  ino_t secretIno_;
};

}  // namespace rkt::archive::testing

#endif  // RKT_TESTS_UNIT_SUPPORT_ARCHIVE_ARCHIVE_FIXTURE_HPP
