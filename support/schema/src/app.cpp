#include "rkt/schema/app.hpp"

#include "field_path.hpp"

namespace rkt::schema {

using detail::childPath;
using detail::fieldError;
using detail::indexPath;
using detail::quote;

bool App::operator==(const App& o) const {
  return exec == o.exec && user == o.user && group == o.group &&
         supplementaryGids == o.supplementaryGids && eventHandlers == o.eventHandlers &&
         workingDirectory == o.workingDirectory && environment == o.environment &&
         isolators == o.isolators && mountPoints == o.mountPoints && ports == o.ports &&
         userAnnotations == o.userAnnotations && userLabels == o.userLabels;
}

Status validateApp(const App& app, std::string_view field) {
  // exec[0] may be a bare name: since appc 0.8.x it is looked up in PATH like execvp(3).
  if (!app.exec.empty() && app.exec[0].empty())
    return fieldError(indexPath(childPath(field, "exec"), 0), "must name a program");
  if (app.user.empty())
    return fieldError(childPath(field, "user"), "must be set");
  if (app.group.empty())
    return fieldError(childPath(field, "group"), "must be set");
  if (!app.workingDirectory.empty() && app.workingDirectory[0] != '/')
    return fieldError(childPath(field, "workingDirectory"),
                      "must be an absolute path, got " + quote(app.workingDirectory));
  RKT_SCHEMA_CHECK(validateEventHandlers(app.eventHandlers, childPath(field, "eventHandlers")));
  RKT_SCHEMA_CHECK(validateEnvironment(app.environment, childPath(field, "environment")));
  RKT_SCHEMA_CHECK(
      validateIsolators(app.isolators, IsolatorScope::App, childPath(field, "isolators")));
  for (size_t i = 0; i < app.mountPoints.size(); ++i)
    RKT_SCHEMA_CHECK(
        validateMountPoint(app.mountPoints[i], indexPath(childPath(field, "mountPoints"), i)));
  for (size_t i = 0; i < app.ports.size(); ++i)
    RKT_SCHEMA_CHECK(validatePort(app.ports[i], indexPath(childPath(field, "ports"), i)));
  return {};
}

}  // namespace rkt::schema
