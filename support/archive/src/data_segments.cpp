#include <rkt/support/archive/data_segments.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace rkt::archive {

DataSegments::DataSegments(int fd, std::uint64_t from, std::uint64_t end)
    : fd_(fd), pos_(from), end_(end) {}

bool DataSegments::next(std::uint64_t& offset, std::uint64_t& length) {
  if (pos_ >= end_ || error_ != 0)
    return false;
  std::uint64_t data = pos_;
  std::uint64_t hole = end_;
  if (seekable_) {
    const off_t d = ::lseek(fd_, static_cast<off_t>(pos_), SEEK_DATA);
    if (d < 0 && errno == ENXIO) {
      pos_ = end_;  // only a hole (or the end of a file that shrank) from here
      return false;
    }
    if (d < 0 && (errno == EINVAL || errno == EOPNOTSUPP)) {
      seekable_ = false;  // no hole reporting here: everything is data
    } else if (d < 0) {
      error_ = errno;
      return false;
    } else {
      data = static_cast<std::uint64_t>(d);
      const off_t h = ::lseek(fd_, d, SEEK_HOLE);
      if (h < 0 && errno != ENXIO) {
        error_ = errno;
        return false;
      }
      if (h >= 0)
        hole = std::min(end_, static_cast<std::uint64_t>(h));
    }
  }
  if (data >= end_) {
    pos_ = end_;
    return false;
  }
  offset = data;
  length = hole - data;
  pos_ = hole;
  return true;
}

}  // namespace rkt::archive
