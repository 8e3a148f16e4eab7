// OpenPGP for image verification (rkt-notes §4.5), over librnp in-process: reading public keys
// and checking detached signatures against a set of trusted keys.
//
// Messages keep the wording of rkt's Go OpenPGP library where users and scripts look for it:
// "openpgp: signature made by unknown entity", "keystore: no valid signatures found in
// signature file".
#ifndef RKT_CORE_TRUST_OPENPGP_HPP
#define RKT_CORE_TRUST_OPENPGP_HPP

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/result.hpp"

namespace rkt::trust {

/// A public key as rkt shows it: the primary key, its subkeys and its user IDs.
struct PublicKey {
  std::string fingerprint;  ///< primary key, lowercase hex (40 digits for v4 keys)
  std::vector<std::string> subkeyFingerprints;  ///< lowercase hex, in the key's order
  std::vector<std::string> userIds;             ///< in the key's order
};

/// "B346 E31D E7E3 C6F9 D1D4  603F 4DFB 61BF 26EF 7A14": uppercase, groups of four digits,
/// two spaces in the middle, as `rkt trust` prints fingerprints.
std::string displayFingerprint(std::string_view fingerprint);

/// The keys of an ASCII-armored public key block, in order. rkt accepts only armored key files
/// (`rkt trust` and the trust store alike); binary input, secret keys or junk are errors.
Result<std::vector<PublicKey>> readArmoredKeys(std::string_view armored);

/// A set of trusted keys and detached-signature verification against it.
class Keyring {
 public:
  Keyring();
  ~Keyring();
  Keyring(Keyring&&) noexcept;
  Keyring& operator=(Keyring&&) noexcept;

  /// Adds the first key (primary key with its subkeys) of an armored block, as rkt trusts only
  /// the first entity of a key file. Returns that key.
  Result<PublicKey> addFirstKey(std::string_view armored);

  /// Number of keys added.
  std::size_t size() const;

  /// Checks the detached `signature` (ASCII-armored, or binary) over the exact bytes of the
  /// file at `dataPath`. Returns the primary key of the signer on success. Errors:
  /// "openpgp: signature made by unknown entity" (no key of this keyring made it),
  /// "openpgp: invalid signature: ..." (data or signature modified, expired),
  /// "keystore: no valid signatures found in signature file" (no signature in the input).
  Result<PublicKey> verifyDetached(const std::string& dataPath, std::string_view signature) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rkt::trust

#endif  // RKT_CORE_TRUST_OPENPGP_HPP
