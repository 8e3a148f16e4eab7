// The appc `app` object: how to run an image's application. An image manifest may carry one; a
// pod manifest's app entry may carry one that replaces the image's.
#ifndef RKT_CORE_SCHEMA_APP_HPP
#define RKT_CORE_SCHEMA_APP_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/schema/isolator.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::schema {

struct App {
  Exec exec;          ///< may be empty (the executor or the user supplies one)
  std::string user;   ///< required: a name, a number, or an absolute path in the rootfs
  std::string group;  ///< required: same forms as `user`
  std::vector<std::uint32_t> supplementaryGids;  ///< JSON `supplementaryGIDs`
  std::vector<EventHandler> eventHandlers;
  std::string workingDirectory;  ///< absolute; empty means `/`
  Environment environment;
  Isolators isolators;
  std::vector<MountPoint> mountPoints;
  std::vector<Port> ports;
  UserAnnotations userAnnotations;
  UserLabels userLabels;

  bool operator==(const App& o) const;
  bool operator!=(const App& o) const { return !(*this == o); }
};

/// `exec[0]`, when there is an exec, is non-empty; user and group non-empty; workingDirectory
/// absolute; event handlers, environment, isolators (app scope), mount points and ports valid.
Status validateApp(const App& app, std::string_view field = "app");

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_APP_HPP
