// rkt::sdk::Error: the exception a plugin throws to fail a call with a specific status, and the
// one the protocol codec (rkt/sdk/protocol/json.hpp) throws for a malformed message. Kept apart
// from rkt/sdk/plugin.hpp so the host can use the codec without the plugin layer.
#ifndef RKT_SDK_ERROR_HPP
#define RKT_SDK_ERROR_HPP

#include <stdexcept>
#include <string>

#include "rkt/abi/plugin.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// The error a plugin throws to fail a call with a specific status. The message must be one
/// lowercase line naming the object, e.g. "cannot open `/x`: no such file or directory".
class Error : public std::runtime_error {
 public:
  Error(rkt_status code, const std::string& message, int sysErrno = 0)
      : std::runtime_error(message), code_(code), errno_(sysErrno) {}
  rkt_status code() const noexcept { return code_; }
  int sysErrno() const noexcept { return errno_; }

 private:
  rkt_status code_;
  int errno_;
};

}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_ERROR_HPP
