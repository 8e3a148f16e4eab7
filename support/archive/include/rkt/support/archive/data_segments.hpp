// The parts of a regular file that may hold data, found with lseek(SEEK_DATA / SEEK_HOLE):
// what lies between them is a hole and reads as zeros. Copying or hashing a sparse file then
// costs its data, not its apparent size (issue 9: an 8 GiB sparse file in a 12 KiB image).
// On a filesystem without hole reporting the whole range is one segment, as the kernel's
// generic lseek says. Free of libarchive (rkt_support_archive_file): the core's copyTree uses
// it too.
#ifndef RKT_SUPPORT_ARCHIVE_DATA_SEGMENTS_HPP
#define RKT_SUPPORT_ARCHIVE_DATA_SEGMENTS_HPP

#include <cstdint>

namespace rkt::archive {

class DataSegments {
 public:
  /// Over [from, end) of the open regular file `fd` (not owned). Moves the file offset.
  DataSegments(int fd, std::uint64_t from, std::uint64_t end);

  /// The next segment that may hold data, in [from, end); false when only holes remain, or on
  /// an error (then error() is its errno). Segments come in order and never overlap.
  bool next(std::uint64_t& offset, std::uint64_t& length);
  int error() const { return error_; }

 private:
  int fd_;
  std::uint64_t pos_;
  std::uint64_t end_;
  bool seekable_ = true;
  int error_ = 0;
};

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_DATA_SEGMENTS_HPP
