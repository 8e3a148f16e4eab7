// Calls the fly stage1 plugin the way the core does: loaded through the core's plugin
// registry, one instance, ops called with JSON requests.
#ifndef RKT_PLUGINS_STAGE1_FLY_TESTS_STAGE1_CLIENT_HPP
#define RKT_PLUGINS_STAGE1_FLY_TESTS_STAGE1_CLIENT_HPP

#include <memory>
#include <string>

#include "rkt/abi/stage1.h"

namespace flytest {

/// What one op returned.
struct Outcome {
  rkt_status status = RKT_OK;
  int exitStatus = -1;  ///< run, enter
  int sysErrno = 0;
  std::string message;  ///< the plugin's error message when status != RKT_OK
  std::string result;   ///< describe
};

class Stage1Client {
 public:
  /// Loads stage1-<name>.so from `pluginDir`; throws std::runtime_error when it cannot.
  Stage1Client(const std::string& pluginDir, const std::string& name);
  ~Stage1Client();
  Stage1Client(const Stage1Client&) = delete;
  Stage1Client& operator=(const Stage1Client&) = delete;

  Outcome run(const std::string& request) const;
  Outcome describe() const;
  Outcome enter(const std::string& request) const;
  Outcome stop(const std::string& request) const;
  Outcome gc(const std::string& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flytest

#endif  // RKT_PLUGINS_STAGE1_FLY_TESTS_STAGE1_CLIENT_HPP
