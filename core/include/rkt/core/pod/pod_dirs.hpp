// The pod tree under the data directory: $DATA/pods/{embryo,prepare,prepared,run,
// exited-garbage,garbage}/<uuid>.
#ifndef RKT_CORE_POD_POD_DIRS_HPP
#define RKT_CORE_POD_POD_DIRS_HPP

#include <string>

#include "rkt/core/pod/state.hpp"
#include "rkt/core/pod/uuid.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod {

class PodDirs {
 public:
  /// `dataDir`: rkt's data directory ($DATA, `--dir`), absolute.
  explicit PodDirs(std::string dataDir);

  const std::string& dataDir() const { return dataDir_; }
  /// $DATA/pods
  std::string root() const;
  /// $DATA/pods/<phase dir name>
  std::string dir(Phase phase) const;
  /// $DATA/pods/<phase dir name>/<uuid>
  std::string podPath(Phase phase, const Uuid& uuid) const;

  /// Creates $DATA/pods and the six phase directories where missing, with rkt's mode 0750
  /// (subject to the umask, as in rkt). Existing directories are left as they are.
  Status ensure() const;

 private:
  std::string dataDir_;
};

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_POD_DIRS_HPP
