#include "field_path.hpp"

namespace rkt::schema::detail {

std::string fieldMessage(std::string_view path, std::string_view message) {
  if (path.empty())
    return std::string(message);
  return "`" + std::string(path) + "`: " + std::string(message);
}

Error fieldError(std::string_view path, std::string_view message) {
  return Error{fieldMessage(path, message)};
}

std::string childPath(std::string_view parent, std::string_view key) {
  if (parent.empty())
    return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string indexPath(std::string_view parent, size_t i) {
  return std::string(parent) + "[" + std::to_string(i) + "]";
}

Status atField(std::string_view path, Status s) {
  if (s)
    return s;
  return fieldError(path, s.error().message);
}

std::string quote(std::string_view s) {
  return "`" + std::string(s) + "`";
}

}  // namespace rkt::schema::detail
