// The oom-score-adj isolator (rkt-notes §6.4, systemd's OOMScoreAdjust= for rkt): written to
// /proc/self/oom_score_adj in the app's process, inherited across execve.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_OOM_SCORE_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_OOM_SCORE_HPP

#include <string>

namespace rkt::nspawn {

/// The text to write, prepared before the fork.
std::string oomScoreText(int value);

/// Writes `text` to /proc/self/oom_score_adj (system calls only). Returns nullptr or what
/// failed (errno set).
const char* setOomScoreAdj(const std::string& text);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_OOM_SCORE_HPP
