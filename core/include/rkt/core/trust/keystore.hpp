// rkt's trust store (rkt-notes §4.5, pkg/keystore): armored public keys under
//
//   <system config>/trustedkeys/{root.d,prefix.d}   (/usr/lib/rkt, the distribution's)
//   <local config>/trustedkeys/{root.d,prefix.d}    (/etc/rkt, the administrator's)
//
// Each key file is named by the lowercase hex fingerprint of its (first) primary key. Keys in
// root.d apply to every image; keys in prefix.d/<prefix>/ apply to image names that have
// `<prefix>` as a *string* prefix (rkt walks prefix.d/<first name component> and descends into
// every directory whose path is a string prefix of prefix.d/<image name>: keys for
// `example.com/app` also apply to `example.com/application`, as in rkt). The user config
// directory is not used for keys.
//
// Load order: system root.d, local root.d, system prefix.d, local prefix.d. A zero-length file
// masks (removes) the key of that name loaded before it, e.g. a vendor key in /usr/lib/rkt.
#ifndef RKT_CORE_TRUST_KEYSTORE_HPP
#define RKT_CORE_TRUST_KEYSTORE_HPP

#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/result.hpp"
#include "rkt/core/trust/openpgp.hpp"

namespace rkt::trust {

struct KeystoreDirs {
  std::string systemRoot;
  std::string systemPrefix;
  std::string localRoot;
  std::string localPrefix;

  /// The four directories under the system and local configuration directories.
  static KeystoreDirs fromConfigDirs(const std::string& systemConfigDir,
                                     const std::string& localConfigDir);
};

/// A trusted key file that applies to an image name.
struct TrustedKeyFile {
  std::string path;
  PublicKey key;
};

class Keystore {
 public:
  explicit Keystore(KeystoreDirs dirs) : dirs_(std::move(dirs)) {}

  const KeystoreDirs& dirs() const { return dirs_; }

  /// The keys that apply to `imageName` (a valid AC identifier), masks applied. A key file
  /// whose name is not its key's fingerprint is an error ("fingerprint mismatch"), as is an
  /// unreadable or non-armored one; each names the file.
  Result<std::vector<TrustedKeyFile>> keysFor(std::string_view imageName) const;

  /// keysFor() as a keyring ready for verification.
  Result<Keyring> keyringFor(std::string_view imageName) const;

  /// Checks `signature` over the file at `dataPath` for image `imageName` (the name in the
  /// image's manifest). Errors are wrapped as rkt does: "keystore: error loading keyring ...".
  Result<PublicKey> checkSignature(std::string_view imageName, const std::string& dataPath,
                                   std::string_view signature) const;

  /// Whether a non-empty key file exists in the local or system prefix.d directory of `prefix`
  /// or of one of its parents (`example.com/a/b`, `example.com/a`, `example.com`); rkt's
  /// TrustedKeyPrefixExists, which decides whether a fetch by name discovers keys.
  bool hasKeysForPrefix(std::string_view prefix) const;

  /// Stores an armored key block (its first key decides the name) in the local prefix.d for
  /// `prefix`, or in the local root.d when `prefix` is empty. Directories 0755, file 0644,
  /// written atomically. Returns the path written.
  Result<std::string> storeTrustedKey(std::string_view prefix, std::string_view armored) const;

 private:
  KeystoreDirs dirs_;
};

}  // namespace rkt::trust

#endif  // RKT_CORE_TRUST_KEYSTORE_HPP
