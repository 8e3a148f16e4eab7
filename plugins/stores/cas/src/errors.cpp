#include "errors.hpp"

#include <cstring>

namespace rkt::cas {

void throwSys(const std::string& what, int err) {
  rkt_status code = RKT_E_IO;
  if (err == ENOENT) {
    code = RKT_E_NOT_FOUND;
  } else if (err == EACCES || err == EPERM) {
    code = RKT_E_PERMISSION;
  } else if (err == EWOULDBLOCK) {
    code = RKT_E_BUSY;
  }
  throw Error(code, what + ": " + std::strerror(err), err);
}

}  // namespace rkt::cas
