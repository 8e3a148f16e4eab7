#include "pod/sys.hpp"

#include <sys/file.h>

#include <cerrno>
#include <charconv>

namespace rkt::pod::sys {

int flockRetry(int fd, int operation) {
  while (::flock(fd, operation) != 0) {
    if (errno != EINTR)
      return errno;
  }
  return 0;
}

std::string_view trimSpace(std::string_view s) {
  auto isSpace = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!s.empty() && isSpace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back()))
    s.remove_suffix(1);
  return s;
}

bool parseInt(std::string_view s, long long& out) {
  s = trimSpace(s);
  if (s.empty())
    return false;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

std::chrono::system_clock::time_point toTimePoint(const struct timespec& ts) {
  using namespace std::chrono;
  return system_clock::time_point(
      duration_cast<system_clock::duration>(seconds(ts.tv_sec) + nanoseconds(ts.tv_nsec)));
}

}  // namespace rkt::pod::sys
