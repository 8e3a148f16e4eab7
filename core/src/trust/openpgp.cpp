// trust's OpenPGP functions through the internal module rkt-openpgp.so (core/modules/openpgp),
// loaded on first use: librnp and its stack are mapped only by the commands that read keys or
// check signatures, not by every rkt start (docs/run.md, start latency).
#include "rkt/core/trust/openpgp.hpp"

#include "trust/openpgp_module.hpp"
#include "util/internal_module.hpp"

namespace rkt::trust {
namespace {

Result<const detail::OpenPgpModule*> module() {
  return util::internalModuleTable<detail::OpenPgpModule>(detail::kOpenPgpModule,
                                                          detail::kOpenPgpModuleEntry);
}

}  // namespace

// The module's keyring, created on first use (a Keyring that never gets a key loads nothing).
struct Keyring::Impl {
  const detail::OpenPgpModule* m = nullptr;
  void* ring = nullptr;

  ~Impl() {
    if (ring != nullptr)
      m->deleteKeyring(ring);
  }
  Status ensure() {
    if (ring != nullptr)
      return {};
    Result<const detail::OpenPgpModule*> loaded = module();
    if (!loaded)
      return loaded.error();
    m = *loaded;
    ring = m->newKeyring();
    return {};
  }
};

std::string displayFingerprint(std::string_view fingerprint) {
  Result<const detail::OpenPgpModule*> m = module();
  return m ? (*m)->displayFingerprint(fingerprint) : std::string(fingerprint);
}

Result<std::vector<PublicKey>> readArmoredKeys(std::string_view armored) {
  Result<const detail::OpenPgpModule*> m = module();
  if (!m)
    return m.error();
  return (*m)->readArmoredKeys(armored);
}

Keyring::Keyring() : impl_(std::make_unique<Impl>()) {}
Keyring::~Keyring() = default;
Keyring::Keyring(Keyring&&) noexcept = default;
Keyring& Keyring::operator=(Keyring&&) noexcept = default;

std::size_t Keyring::size() const {
  return impl_->ring == nullptr ? 0 : impl_->m->size(impl_->ring);
}

Result<PublicKey> Keyring::addFirstKey(std::string_view armored) {
  if (Status s = impl_->ensure(); !s)
    return s.error();
  return impl_->m->addFirstKey(impl_->ring, armored);
}

Result<PublicKey> Keyring::verifyDetached(const std::string& dataPath,
                                          std::string_view signature) const {
  if (Status s = impl_->ensure(); !s)
    return s.error();
  return impl_->m->verifyDetached(impl_->ring, dataPath, signature);
}

}  // namespace rkt::trust
