// `rkt export`'s ACI writer: the tree below the app directory plus the manifest, read back.
#include <cppunit/extensions/HelperMacros.h>

#include <archive.h>
#include <archive_entry.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <vector>

#include "pod_test_support.hpp"
#include "rkt/core/pod/export.hpp"

namespace {

struct Entry {
  std::string path;
  mode_t type;
  std::string data;
  std::string symlink;
  std::string hardlink;
  la_int64_t uid;
};

std::vector<Entry> readAci(const std::string& file) {
  std::vector<Entry> entries;
  struct archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_filename(a, file.c_str(), 10240) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a));
  struct archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    Entry out{archive_entry_pathname(e),
              archive_entry_filetype(e),
              "",
              archive_entry_symlink(e) ? archive_entry_symlink(e) : "",
              archive_entry_hardlink(e) ? archive_entry_hardlink(e) : "",
              archive_entry_uid(e)};
    char buf[4096];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
      out.data.append(buf, static_cast<size_t>(n));
    // Directory names may carry a trailing slash in tar; compare without it.
    if (!out.path.empty() && out.path.back() == '/')
      out.path.pop_back();
    entries.push_back(out);
  }
  archive_read_free(a);
  return entries;
}

}  // namespace

class PodExportTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodExportTest);
  CPPUNIT_TEST(writesTreeThenManifest);
  CPPUNIT_TEST(unshiftsPrivateUsers);
  CPPUNIT_TEST(uidRanges);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { tmp_ = std::make_unique<podtest::TempDataDir>(); }
  void tearDown() override { tmp_.reset(); }

  void writesTreeThenManifest() {
    const std::string app = tmp_->path() + "/app";
    podtest::makeDirs(app + "/rootfs/etc");
    podtest::makeDirs(app + "/rootfs/bin");
    podtest::writeFile(app + "/manifest", "stale, must not be exported");
    podtest::writeFile(app + "/rootfs/etc/hostname", "pod\n");
    podtest::writeFile(app + "/rootfs/bin/a", "#!/bin/sh\n", 0755);
    CPPUNIT_ASSERT_EQUAL(0,
                         ::link((app + "/rootfs/bin/a").c_str(), (app + "/rootfs/bin/b").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("../etc/hostname", (app + "/rootfs/bin/link").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::mkfifo((app + "/rootfs/fifo").c_str(), 0600));
    int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    const std::string sockPath = app + "/rootfs/sock";
    sockPath.copy(addr.sun_path, sizeof addr.sun_path - 1);
    CPPUNIT_ASSERT_EQUAL(0, ::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
    ::close(sock);

    const std::string out = tmp_->path() + "/out.aci";
    int fd = ::open(out.c_str(), O_CREAT | O_WRONLY | O_EXCL | O_CLOEXEC, 0644);
    rkt::Status s = rkt::pod::writeAci(fd, app, R"({"acKind":"ImageManifest"})", std::nullopt);
    ::close(fd);
    CPPUNIT_ASSERT_MESSAGE(s ? "" : s.error().message, s.ok());

    std::vector<Entry> entries = readAci(out);
    std::vector<std::string> paths;
    for (const Entry& e : entries)
      paths.push_back(e.path);
    const std::vector<std::string> expected = {
        "rootfs",     "rootfs/bin",          "rootfs/bin/a", "rootfs/bin/b", "rootfs/bin/link",
        "rootfs/etc", "rootfs/etc/hostname", "rootfs/fifo",  "manifest"};
    CPPUNIT_ASSERT_EQUAL(expected.size(), paths.size());
    for (size_t i = 0; i < expected.size(); ++i)
      CPPUNIT_ASSERT_EQUAL(expected[i], paths[i]);
    CPPUNIT_ASSERT_EQUAL(std::string("#!/bin/sh\n"), entries[2].data);
    CPPUNIT_ASSERT_EQUAL(std::string("rootfs/bin/a"), entries[3].hardlink);
    CPPUNIT_ASSERT_EQUAL(std::string("../etc/hostname"), entries[4].symlink);
    CPPUNIT_ASSERT_EQUAL(mode_t(AE_IFIFO), entries[7].type);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"acKind":"ImageManifest"})"), entries[8].data);
  }

  void unshiftsPrivateUsers() {
    const std::string app = tmp_->path() + "/app";
    podtest::makeDirs(app + "/rootfs");
    podtest::writeFile(app + "/rootfs/f", "x");
    if (::geteuid() != 0)
      return;  // chown needs root
    CPPUNIT_ASSERT_EQUAL(0, ::chown((app + "/rootfs/f").c_str(), 65536 + 7, 65536 + 7));
    CPPUNIT_ASSERT_EQUAL(0, ::chown((app + "/rootfs").c_str(), 65536, 65536));
    const std::string out = tmp_->path() + "/out.aci";
    int fd = ::open(out.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    rkt::Status s = rkt::pod::writeAci(fd, app, "{}", rkt::pod::UidRange{65536, 65536});
    ::close(fd);
    CPPUNIT_ASSERT(s.ok());
    std::vector<Entry> entries = readAci(out);
    CPPUNIT_ASSERT_EQUAL(la_int64_t(0), entries[0].uid);
    CPPUNIT_ASSERT_EQUAL(la_int64_t(7), entries[1].uid);
    // An id outside the range cannot be mapped back.
    CPPUNIT_ASSERT_EQUAL(0, ::chown((app + "/rootfs/f").c_str(), 5, 5));
    fd = ::open(out.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    s = rkt::pod::writeAci(fd, app, "{}", rkt::pod::UidRange{65536, 65536});
    ::close(fd);
    CPPUNIT_ASSERT(!s.ok());
  }

  void uidRanges() {
    rkt::Result<rkt::pod::UidRange> r = rkt::pod::parseUidRange(" 65536:65536\n");
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(65536), r->shift);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(65536), r->count);
    for (const char* bad : {"", "1", "a:b", "1:-1", ":3"})
      CPPUNIT_ASSERT_MESSAGE(bad, !rkt::pod::parseUidRange(bad).ok());
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), *rkt::pod::unshiftId(*r, 65536));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(65535), *rkt::pod::unshiftId(*r, 131071));
    CPPUNIT_ASSERT(!rkt::pod::unshiftId(*r, 131072).ok());
    CPPUNIT_ASSERT(!rkt::pod::unshiftId(*r, 65535).ok());
  }

 private:
  std::unique_ptr<podtest::TempDataDir> tmp_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodExportTest);
