// Re-indents JSON text the way Go's json.Indent does, so output matches rkt's pretty printing:
//   {"a":[1,2],"b":{}}  ->  {\n<i>"a": [\n<i><i>1,\n<i><i>2\n<i>],\n<i>"b": {}\n}
// Empty arrays and objects stay "[]" / "{}"; no trailing newline.
#ifndef RKT_CORE_SRC_UTIL_JSON_INDENT_HPP
#define RKT_CORE_SRC_UTIL_JSON_INDENT_HPP

#include <string>

namespace rkt::util {

/// Precondition: `json` is valid JSON (e.g. produced by Poco's Stringifier); whitespace between
/// tokens is dropped and replaced by newlines and `indent` per nesting level.
std::string indentJson(const std::string& json, const std::string& indent = "\t");

}  // namespace rkt::util

#endif  // RKT_CORE_SRC_UTIL_JSON_INDENT_HPP
