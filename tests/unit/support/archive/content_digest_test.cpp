// ContentDigest (holes and zero runs counted, not hashed) and DataSegments (the data parts of a
// sparse file): together they make a sparse file cost its data when hashed.
#include "support/archive/archive_fixture.hpp"

#include <rkt/support/archive/data_segments.hpp>
#include <rkt/support/archive/digest.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace rkt::archive;           // NOLINT: test file
using namespace rkt::archive::testing;  // NOLINT: test file

class ArchiveContentDigestTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ArchiveContentDigestTest);
  CPPUNIT_TEST(matchesItsDefinitionInAnyChunking);
  CPPUNIT_TEST(holesEqualWrittenZeros);
  CPPUNIT_TEST(hugeHoleIsOneRecord);
  CPPUNIT_TEST(dataSegmentsSkipHoles);
  CPPUNIT_TEST_SUITE_END();

 public:
  void matchesItsDefinitionInAnyChunking() {
    const std::size_t kBlock = ContentDigest::kBlockSize;
    std::vector<std::string> contents = {
        "",
        "short",
        std::string(kBlock, '\0'),
        std::string(kBlock - 1, '\0'),
        std::string(3 * kBlock + 17, '\0'),
        noise(5 * kBlock, 3),
        std::string(2 * kBlock, '\0') + noise(kBlock + 100, 4) + std::string(4 * kBlock, '\0'),
        noise(100, 5) + std::string(10 * kBlock, '\0') + "x",
    };
    for (const std::string& c : contents) {
      const std::string want = referenceContentDigest(c);
      for (std::size_t chunk :
           {std::size_t{1}, std::size_t{7}, kBlock - 1, kBlock, 3 * kBlock + 5, c.size() + 1}) {
        ContentDigest d;
        for (std::size_t pos = 0; pos < c.size(); pos += chunk)
          d.update(c.data() + pos, std::min(chunk, c.size() - pos));
        CPPUNIT_ASSERT_MESSAGE(
            "size " + std::to_string(c.size()) + " chunk " + std::to_string(chunk),
            asString(d.digest()) == want);
      }
    }
  }

  void holesEqualWrittenZeros() {
    const std::size_t kBlock = ContentDigest::kBlockSize;
    const std::string data = noise(3000, 9);
    // data, a hole of 5 blocks and 123 bytes, data again, a hole to the end.
    std::string whole = data + std::string(5 * kBlock + 123, '\0') + data + std::string(999, '\0');
    ContentDigest d;
    d.update(data.data(), data.size());
    d.updateZeros(5 * kBlock + 123);
    d.update(data.data(), data.size());
    d.updateZeros(999);
    CPPUNIT_ASSERT(asString(d.digest()) == referenceContentDigest(whole));
  }

  // 1 TiB of holes is one zero-run record: nothing is hashed per byte (the old digest would
  // hash 1 TiB of zeros here).
  void hugeHoleIsOneRecord() {
    const std::uint64_t tib = std::uint64_t{1} << 40;
    ContentDigest d;
    d.updateZeros(tib / 3);
    d.updateZeros(tib - tib / 3);
    std::string record = "Z";
    const std::uint64_t blocks = tib / ContentDigest::kBlockSize;
    for (int i = 0; i < 8; ++i)
      record += static_cast<char>((blocks >> (8 * i)) & 0xff);
    Sha256 sha;
    sha.update(record.data(), record.size());
    CPPUNIT_ASSERT(d.digest() == sha.digest());
  }

  void dataSegmentsSkipHoles() {
    Sandbox s;
    const std::string path = s.target + "/sparse";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    CPPUNIT_ASSERT(fd >= 0);
    const std::string a(4096, 'a');
    const std::string b(4096, 'b');
    const off_t far = off_t{64} << 20;
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(a.size()), ::pwrite(fd, a.data(), a.size(), 0));
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(b.size()), ::pwrite(fd, b.data(), b.size(), far));
    const std::uint64_t size = (std::uint64_t{128} << 20);
    CPPUNIT_ASSERT_EQUAL(0, ::ftruncate(fd, static_cast<off_t>(size)));
    DataSegments segments(fd, 0, size);
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::uint64_t covered = 0;
    std::uint64_t last = 0;
    bool first = true;
    bool coversA = false;
    bool coversB = false;
    while (segments.next(offset, length)) {
      CPPUNIT_ASSERT(first || offset >= last);  // in order, not overlapping
      CPPUNIT_ASSERT(offset + length <= size);
      coversA = coversA || (offset == 0 && length >= a.size());
      coversB = coversB || (offset <= static_cast<std::uint64_t>(far) &&
                            offset + length >= static_cast<std::uint64_t>(far) + b.size());
      covered += length;
      last = offset + length;
      first = false;
    }
    CPPUNIT_ASSERT_EQUAL(0, segments.error());
    CPPUNIT_ASSERT(coversA && coversB);
    // Every filesystem the tests run on reports holes (tmpfs, ext4, xfs, btrfs): the 128 MiB
    // file is a few blocks of data.
    CPPUNIT_ASSERT_MESSAGE(std::to_string(covered), covered < (std::uint64_t{1} << 20));
    // A range inside the hole has no data at all; one that starts in data is cut at `end`.
    DataSegments hole(fd, 1 << 20, 2 << 20);
    CPPUNIT_ASSERT(!hole.next(offset, length));
    CPPUNIT_ASSERT_EQUAL(0, hole.error());
    DataSegments cut(fd, 100, 200);
    CPPUNIT_ASSERT(cut.next(offset, length));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t{100}, offset);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t{100}, length);
    ::close(fd);
  }

 private:
  static std::string asString(const std::array<std::uint8_t, 32>& d) {
    return std::string(reinterpret_cast<const char*>(d.data()), d.size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ArchiveContentDigestTest);
