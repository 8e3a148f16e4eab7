// rkt's download progress line on stderr, drawn only when stderr is a terminal:
//   Downloading ACI: [=============                    ] 1.2 MB/3.79 MB
#ifndef RKT_SUPPORT_HTTP_PROGRESS_HPP
#define RKT_SUPPORT_HTTP_PROGRESS_HPP

#include <chrono>
#include <cstdint>
#include <string>

namespace rkt::http {

/// rkt's byte count format: three significant digits and a decimal unit ("3.79 MB", "512 B").
std::string formatBytes(int64_t n);

/// One progress line for `label` ("ACI", "signature"); `total` < 0 when unknown. `width` is
/// the terminal width (rkt draws for 80 columns, less on a narrower terminal).
std::string progressLine(const std::string& label, int64_t done, int64_t total, int width = 80);

class Progress {
 public:
  /// `start`: bytes already present (a resumed download); `total` < 0 when unknown.
  Progress(std::string label, int64_t start, int64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Adds `n` bytes; redraws at most once a second.
  void advance(int64_t n);
  /// Draws the final state and ends the line.
  void finish();

 private:
  void draw();

  std::string label_;
  int64_t done_;
  int64_t total_;
  bool enabled_;
  bool finished_ = false;
  size_t longest_ = 0;
  std::chrono::steady_clock::time_point lastDraw_{};
};

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_PROGRESS_HPP
