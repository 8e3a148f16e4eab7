#include "rkt/support/http/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace rkt::http {
namespace {

constexpr int kBytesColumns = 18;  // room rkt keeps for "xxx.x MB/yyy.y MB"

int terminalWidth() {
  struct winsize ws {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return std::min<int>(ws.ws_col, 80);
  }
  return 80;
}

void writeAll(const std::string& s) {
  const char* p = s.data();
  size_t left = s.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) {
      return;  // a progress line is not worth failing a download for
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

std::string formatBytes(int64_t n) {
  static const char* const kUnits[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  double size = static_cast<double>(n);
  size_t unit = 0;
  while (size >= 1000 && unit + 1 < sizeof(kUnits) / sizeof(kUnits[0])) {
    size /= 1000;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g %s", size, kUnits[unit]);
  return buf;
}

std::string progressLine(const std::string& label, int64_t done, int64_t total, int width) {
  std::string prefix = "Downloading " + label;
  if (total < 0) {
    return prefix + ": " + formatBytes(done) + " of an unknown total size";
  }
  int inner = std::max(width - static_cast<int>(prefix.size()) - kBytesColumns - 2, 1);
  int filled = total > 0 ? static_cast<int>(static_cast<double>(done) / total * inner) : inner;
  filled = std::clamp(filled, 0, inner);
  return prefix + ": [" + std::string(filled, '=') + std::string(inner - filled, ' ') + "] " +
         formatBytes(done) + "/" + formatBytes(total);
}

Progress::Progress(std::string label, int64_t start, int64_t total)
    : label_(std::move(label)), done_(start), total_(total), enabled_(::isatty(STDERR_FILENO)) {}

Progress::~Progress() {
  if (enabled_ && !finished_ && longest_ > 0) {
    writeAll("\n");  // leave the interrupted bar on its own line before any error message
  }
}

void Progress::advance(int64_t n) {
  done_ += n;
  auto now = std::chrono::steady_clock::now();
  if (enabled_ && now - lastDraw_ >= std::chrono::seconds(1)) {
    lastDraw_ = now;
    draw();
  }
}

void Progress::finish() {
  if (enabled_ && !finished_) {
    draw();
    writeAll("\n");
  }
  finished_ = true;
}

void Progress::draw() {
  std::string line = progressLine(label_, done_, total_, terminalWidth());
  longest_ = std::max(longest_, line.size());
  line.resize(longest_, ' ');  // wipe what a longer earlier line left behind
  writeAll(line + "\r");
}

}  // namespace rkt::http
