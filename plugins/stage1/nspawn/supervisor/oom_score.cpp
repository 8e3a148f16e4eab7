#include "oom_score.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace rkt::nspawn {

std::string oomScoreText(int value) {
  return std::to_string(value) + "\n";
}

const char* setOomScoreAdj(const std::string& text) {
  const int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return "cannot open /proc/self/oom_score_adj";
  }
  const ssize_t n = ::write(fd, text.data(), text.size());
  const int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) {
    errno = n < 0 ? err : EIO;
    return "cannot set oom_score_adj";
  }
  return nullptr;
}

}  // namespace rkt::nspawn
