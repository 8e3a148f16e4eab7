#include "rkt/core/plugin/kinds.hpp"

#include <array>
#include <utility>

namespace rkt::plugin {
namespace {

constexpr std::array<std::pair<rkt_kind, std::string_view>, 5> kKindNames = {{
    {RKT_KIND_FETCHER, "fetcher"},
    {RKT_KIND_STORE, "store"},
    {RKT_KIND_STAGE1, "stage1"},
    {RKT_KIND_NET, "net"},
    {RKT_KIND_IPAM, "ipam"},
}};

}  // namespace

std::string_view kindName(rkt_kind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) {
      return name;
    }
  }
  return "";
}

rkt_kind kindFromName(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) {
      return k;
    }
  }
  return RKT_KIND_INVALID;
}

std::string statusName(rkt_status status) {
  switch (status) {
    case RKT_OK:
      return "ok";
    case RKT_E_INTERNAL:
      return "internal";
    case RKT_E_INVALID:
      return "invalid";
    case RKT_E_NOT_FOUND:
      return "not-found";
    case RKT_E_EXISTS:
      return "exists";
    case RKT_E_UNSUPPORTED:
      return "unsupported";
    case RKT_E_IO:
      return "io";
    case RKT_E_PERMISSION:
      return "permission";
    case RKT_E_BUSY:
      return "busy";
    case RKT_E_EXCEPTION:
      return "exception";
    case RKT_E_NETWORK:
      return "network";
  }
  // A plugin may return a code from a newer minor, or garbage.
  return "status " + std::to_string(static_cast<int>(status));
}

}  // namespace rkt::plugin
