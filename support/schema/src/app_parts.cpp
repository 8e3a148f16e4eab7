// Validation of the parts of an app (event handlers, mount points, ports) and of dependencies.
#include <set>

#include "field_path.hpp"
#include "rkt/schema/names.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::schema {

using detail::atField;
using detail::childPath;
using detail::fieldError;
using detail::indexPath;
using detail::quote;

Status validateEventHandlers(const std::vector<EventHandler>& handlers, std::string_view field) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < handlers.size(); ++i) {
    const std::string at = indexPath(field, i);
    const auto& h = handlers[i];
    if (h.name != kEventPreStart && h.name != kEventPostStop)
      return fieldError(childPath(at, "name"),
                        "must be `pre-start` or `post-stop`, got " + quote(h.name));
    if (!seen.insert(h.name).second)
      return fieldError(childPath(at, "name"), "only one " + quote(h.name) + " handler is allowed");
    if (h.exec.empty() || h.exec[0].empty())
      return fieldError(childPath(at, "exec"), "must name a program");
  }
  return {};
}

Status validateMountPoint(const MountPoint& mp, std::string_view field) {
  RKT_SCHEMA_CHECK(atField(childPath(field, "name"), validateAcName(mp.name)));
  if (mp.path.empty())
    return fieldError(childPath(field, "path"), "must not be empty");
  return {};
}

Status validatePort(const Port& port, std::string_view field) {
  RKT_SCHEMA_CHECK(atField(childPath(field, "name"), validateAcName(port.name)));
  if (port.protocol.empty())
    return fieldError(childPath(field, "protocol"), "must not be empty");
  if (port.port < 1 || port.port > 65535)
    return fieldError(childPath(field, "port"),
                      "must be between 1 and 65535, got " + std::to_string(port.port));
  if (port.count < 1)
    return fieldError(childPath(field, "count"), "must be at least 1");
  if (std::uint64_t(port.port) + port.count > 65536)
    return fieldError(childPath(field, "count"), "the range " + std::to_string(port.port) + "+" +
                                                     std::to_string(port.count) +
                                                     " ends beyond port 65535");
  return {};
}

Status validateDependency(const Dependency& dep, std::string_view field) {
  const std::string nameAt = childPath(field, "imageName");
  if (dep.imageName.empty())
    return fieldError(nameAt, "must be set");
  RKT_SCHEMA_CHECK(atField(nameAt, validateAcIdentifier(dep.imageName)));
  if (!dep.imageId.empty())
    RKT_SCHEMA_CHECK(atField(childPath(field, "imageID"), validateImageId(dep.imageId)));
  return validateLabels(dep.labels, childPath(field, "labels"));
}

}  // namespace rkt::schema
