// Parsers for the kind-specific fields of each configuration kind (rktVersion "v1"), applied to
// the configuration of a single directory.
#ifndef RKT_CORE_SRC_CONFIG_KINDS_HPP
#define RKT_CORE_SRC_CONFIG_KINDS_HPP

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

#include "rkt/core/config.hpp"
#include "rkt/core/result.hpp"

namespace rkt::config::detail {

/// What one configuration directory defines so far, and which file defined each value: within a
/// directory every value may be defined once, and the error names both files.
struct DirState {
  Config config;
  std::map<std::string, std::string> authFile;    ///< domain -> file
  std::map<std::string, std::string> dockerFile;  ///< registry -> file
  std::string dataFile;
  std::string stage1ImagesFile;
  std::string pluginsFile;
  std::string nameVersionFile;
  std::string locationFile;
};

/// Each parser reads the fields of `object` from `file` into `state`. On error nothing useful is
/// left in `state` (loading stops); the message is the bare cause, the caller names the file.
Status parseAuthV1(const Poco::JSON::Object& object, const std::string& file, DirState& state);
Status parseDockerAuthV1(const Poco::JSON::Object& object, const std::string& file,
                         DirState& state);
Status parsePathsV1(const Poco::JSON::Object& object, const std::string& file, DirState& state);
Status parseStage1V1(const Poco::JSON::Object& object, const std::string& file, DirState& state);

}  // namespace rkt::config::detail

#endif  // RKT_CORE_SRC_CONFIG_KINDS_HPP
