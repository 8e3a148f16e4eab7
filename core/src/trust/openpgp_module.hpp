// The function table of the internal module rkt-openpgp.so (core/modules/openpgp), shared by the
// module and its loader (core/src/trust/openpgp.cpp). Both are built together.
#ifndef RKT_CORE_SRC_TRUST_OPENPGP_MODULE_HPP
#define RKT_CORE_SRC_TRUST_OPENPGP_MODULE_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/result.hpp"
#include "rkt/core/trust/openpgp.hpp"

namespace rkt::trust::detail {

inline constexpr char kOpenPgpModule[] = "rkt-openpgp.so";
inline constexpr char kOpenPgpModuleEntry[] = "rkt_internal_openpgp_v1";

struct OpenPgpModule {
  std::string (*displayFingerprint)(std::string_view fingerprint) = nullptr;
  Result<std::vector<PublicKey>> (*readArmoredKeys)(std::string_view armored) = nullptr;
  void* (*newKeyring)() = nullptr;
  void (*deleteKeyring)(void* ring) = nullptr;
  Result<PublicKey> (*addFirstKey)(void* ring, std::string_view armored) = nullptr;
  std::size_t (*size)(const void* ring) = nullptr;
  Result<PublicKey> (*verifyDetached)(const void* ring, const std::string& dataPath,
                                      std::string_view signature) = nullptr;
};

}  // namespace rkt::trust::detail

#endif  // RKT_CORE_SRC_TRUST_OPENPGP_MODULE_HPP
