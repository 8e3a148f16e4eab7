// How the cas store reports failures: it throws rkt::sdk::Error (a status code, one lowercase
// line naming the object, the errno when a system call failed). The SDK turns that into a
// status + host error at the plugin boundary, so nothing else is needed when the store is wired
// to the ABI. Exceptions from SQLiteCpp and Poco are caught inside this library and rethrown
// as sdk::Error; no other exception type leaves it.
#ifndef RKT_CAS_ERRORS_HPP
#define RKT_CAS_ERRORS_HPP

#include <cerrno>
#include <string>

#include "rkt/base/shorten.hpp"
#include "rkt/sdk/plugin.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::cas {

using Error = rkt::sdk::Error;

/// "<what>: <errno text>" with the status errno says (support/posix/throw_sys.hpp).
using posix::throwSys;

/// "`<text>`": names an object in a message (house style), shortened and escaped so that the
/// message stays one readable line (rkt/base/shorten.hpp).
inline std::string named(const std::string& text) {
  return "`" + shownName(text) + "`";
}

}  // namespace rkt::cas

#endif  // RKT_CAS_ERRORS_HPP
