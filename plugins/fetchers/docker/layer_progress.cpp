#include "layer_progress.hpp"

#include <unistd.h>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/http/progress.hpp"

namespace rkt::dockerfetcher {
namespace {

void writeAll(const std::string& s) {
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) {
      return;  // progress is not worth failing a download for
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

LayerProgress::LayerProgress(const std::vector<std::pair<std::string, int64_t>>& layers,
                             bool terminal)
    : terminal_(terminal) {
  for (const auto& [label, size] : layers) {
    bars_.push_back(Bar{label, 0, size});
  }
}

LayerProgress::~LayerProgress() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (terminal_ && drawn_) {
    drawLocked(true);
  }
}

void LayerProgress::started(std::size_t layer, int64_t total) {
  std::lock_guard<std::mutex> lock(mutex_);
  bars_[layer].total = total;
  if (!terminal_) {
    sdk::log(RKT_LOG_INFO, "downloading " + bars_[layer].label +
                               (total >= 0 ? " (" + http::formatBytes(total) + ")" : ""));
  }
}

void LayerProgress::advanced(std::size_t layer, int64_t done, int64_t total) {
  std::lock_guard<std::mutex> lock(mutex_);
  bars_[layer].done = done;
  bars_[layer].total = total;
  if (terminal_) {
    drawLocked(false);
  }
}

void LayerProgress::finished(std::size_t layer) {
  std::lock_guard<std::mutex> lock(mutex_);
  Bar& bar = bars_[layer];
  bar.complete = true;
  if (bar.total >= 0) {
    bar.done = bar.total;
  }
  if (terminal_) {
    drawLocked(true);
  } else {
    sdk::log(RKT_LOG_INFO, "downloaded " + bar.label);
  }
}

void LayerProgress::drawLocked(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - lastDraw_ < std::chrono::milliseconds(100)) {
    return;
  }
  lastDraw_ = now;
  std::string out;
  if (drawn_) {
    out += "\033[" + std::to_string(bars_.size()) + "A";  // back to the first bar
  }
  for (const Bar& b : bars_) {
    out += "\r\033[K" + http::progressLine(b.label, b.done, b.total) + "\n";
  }
  drawn_ = true;
  writeAll(out);
}

}  // namespace rkt::dockerfetcher
