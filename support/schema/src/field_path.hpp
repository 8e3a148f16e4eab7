// Internal: naming a field by its JSON path in error messages ("`app.ports[0].port`: ...").
#ifndef RKT_CORE_SRC_SCHEMA_FIELD_PATH_HPP
#define RKT_CORE_SRC_SCHEMA_FIELD_PATH_HPP

#include <string>
#include <string_view>

#include "rkt/base/result.hpp"

namespace rkt::schema::detail {

/// "`path`: message", or just the message when path is empty.
std::string fieldMessage(std::string_view path, std::string_view message);
/// An Error carrying fieldMessage(path, message).
Error fieldError(std::string_view path, std::string_view message);
/// `parent.key`, or `key` when parent is empty.
std::string childPath(std::string_view parent, std::string_view key);
/// `parent[i]`.
std::string indexPath(std::string_view parent, size_t i);
/// `s` unchanged when ok, else its message prefixed with the field path.
Status atField(std::string_view path, Status s);
/// `s` in backticks, for quoting values in messages.
std::string quote(std::string_view s);

}  // namespace rkt::schema::detail

/// Returns the Status of `expr` from the enclosing function when it failed.
#define RKT_SCHEMA_CHECK(expr)            \
  do {                                    \
    ::rkt::Status rkt_schema_s_ = (expr); \
    if (!rkt_schema_s_)                   \
      return rkt_schema_s_;               \
  } while (0)

#endif  // RKT_CORE_SRC_SCHEMA_FIELD_PATH_HPP
