// Progress of layers downloaded at once. On a terminal (stderr), one bar per layer, redrawn
// together in place (at most 10 times a second):
//   Downloading sha256:1b930d010525: [=========          ] 1.2 MB/3.79 MB
// Otherwise plain log lines: one when a layer starts and one when it is complete.
#ifndef RKT_PLUGINS_DOCKER_LAYER_PROGRESS_HPP
#define RKT_PLUGINS_DOCKER_LAYER_PROGRESS_HPP

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rkt::dockerfetcher {

class LayerProgress {
 public:
  /// One bar per layer, in this order: its label and its size (-1: unknown); `terminal`: draw
  /// bars, else log lines.
  LayerProgress(const std::vector<std::pair<std::string, int64_t>>& layers, bool terminal);
  ~LayerProgress();
  LayerProgress(const LayerProgress&) = delete;
  LayerProgress& operator=(const LayerProgress&) = delete;

  void started(std::size_t layer, int64_t total);
  void advanced(std::size_t layer, int64_t done, int64_t total);
  void finished(std::size_t layer);

 private:
  void drawLocked(bool force);

  struct Bar {
    std::string label;
    int64_t done = 0;
    int64_t total = -1;
    bool complete = false;
  };
  std::mutex mutex_;
  std::vector<Bar> bars_;
  bool terminal_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point lastDraw_{};
};

}  // namespace rkt::dockerfetcher

#endif  // RKT_PLUGINS_DOCKER_LAYER_PROGRESS_HPP
