// The JSON requests of rkt/abi/stage1.h, as the fly flavor reads them. Unknown fields are
// ignored (newer cores may send more); a known field of the wrong type is an error naming it.
#ifndef RKT_PLUGINS_STAGE1_FLY_REQUESTS_HPP
#define RKT_PLUGINS_STAGE1_FLY_REQUESTS_HPP

#include <sys/types.h>

#include <string>
#include <vector>

namespace rkt::fly {

/// `run`. Fly ignores net (always the host network), interactive (always), hostname,
/// local_config, insecure and ipc, as rkt's fly does.
struct RunRequest {
  std::string podDir;  ///< absolute
  std::string uuid;
  int lockFd = -1;  ///< the locked $POD directory fd; the app inherits it
  bool debug = false;
  std::string resolvMode = "default";  ///< host | stage0 | none | default
  std::string hostsMode = "default";   ///< host | stage0 | default
};

/// `enter`.
struct EnterRequest {
  std::string podDir;
  std::string uuid;
  pid_t pid = 0;
  std::string app;  ///< empty: the pod's only app
  std::vector<std::string> command;
  bool interactive = false;
};

/// `stop`.
struct StopRequest {
  std::string podDir;
  std::string uuid;
  bool force = false;
};

/// `gc`.
struct GcRequest {
  std::string podDir;
  std::string uuid;
  bool debug = false;
};

// Each throws RKT_E_INVALID "invalid <op> request: ..." for malformed JSON, a missing or
// relative pod_dir, or a field of the wrong type.
RunRequest parseRunRequest(const std::string& json);
EnterRequest parseEnterRequest(const std::string& json);
StopRequest parseStopRequest(const std::string& json);
GcRequest parseGcRequest(const std::string& json);

}  // namespace rkt::fly

#endif  // RKT_PLUGINS_STAGE1_FLY_REQUESTS_HPP
