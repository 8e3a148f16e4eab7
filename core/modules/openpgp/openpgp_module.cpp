// librnp behind rkt::trust's small OpenPGP interface. librnp (Debian's librnp0, the OpenPGP
// library of Thunderbird) runs in-process: no gpg-agent, no home directory, no subprocess, and
// it parses hostile input in a library built for exactly that.
#include "rkt/core/trust/openpgp.hpp"

#include <rnp/rnp.h>
#include <rnp/rnp_err.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>

namespace rkt::trust {
namespace {

struct FfiDeleter {
  void operator()(rnp_ffi_st* f) const { rnp_ffi_destroy(f); }
};
struct InputDeleter {
  void operator()(rnp_input_st* i) const { rnp_input_destroy(i); }
};
struct OutputDeleter {
  void operator()(rnp_output_st* o) const { rnp_output_destroy(o); }
};
struct KeyDeleter {
  void operator()(rnp_key_handle_st* k) const { rnp_key_handle_destroy(k); }
};
struct VerifyDeleter {
  void operator()(rnp_op_verify_st* v) const { rnp_op_verify_destroy(v); }
};
struct IteratorDeleter {
  void operator()(rnp_identifier_iterator_st* i) const { rnp_identifier_iterator_destroy(i); }
};
using Ffi = std::unique_ptr<rnp_ffi_st, FfiDeleter>;
using Input = std::unique_ptr<rnp_input_st, InputDeleter>;
using Output = std::unique_ptr<rnp_output_st, OutputDeleter>;
using Key = std::unique_ptr<rnp_key_handle_st, KeyDeleter>;
using Verify = std::unique_ptr<rnp_op_verify_st, VerifyDeleter>;
using Iterator = std::unique_ptr<rnp_identifier_iterator_st, IteratorDeleter>;

// Debian builds librnp without NDEBUG, and then it prints every parse problem of hostile
// input on stderr ("[signed_validate_signature() …] signer's key not found") whatever
// RNP_LOG_CONSOLE or the ffi's log descriptor say. Our errors carry what matters, so stderr
// points at /dev/null while librnp parses. The CLI is single-threaded while it verifies; the
// mutex keeps concurrent callers in one process from restoring each other's descriptors.
class QuietStderr {
 public:
  QuietStderr() : lock_(mutex()) {
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_ >= 0 && devnull >= 0) {
      dup2(devnull, STDERR_FILENO);
    }
    if (devnull >= 0) {
      close(devnull);
    }
  }
  ~QuietStderr() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      dup2(saved_, STDERR_FILENO);
      close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  std::lock_guard<std::mutex> lock_;
  int saved_ = -1;
};

// Strings librnp allocates.
std::string takeString(char* s) {
  std::string out = s != nullptr ? s : "";
  rnp_buffer_destroy(s);
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string rnpError(rnp_result_t r) {
  return lower(rnp_result_to_string(r));
}

Result<Ffi> newFfi() {
  rnp_ffi_t raw = nullptr;
  if (rnp_result_t r = rnp_ffi_create(&raw, "GPG", "GPG"); r != RNP_SUCCESS) {
    return Error{"cannot initialise the openpgp library: " + rnpError(r)};
  }
  return Ffi(raw);
}

Result<Input> memoryInput(std::string_view bytes) {
  rnp_input_t raw = nullptr;
  // librnp does not copy (do_copy=false): the caller keeps `bytes` alive while it is read.
  if (rnp_result_t r = rnp_input_from_memory(&raw, reinterpret_cast<const uint8_t*>(bytes.data()),
                                             bytes.size(), false);
      r != RNP_SUCCESS) {
    return Error{"cannot read openpgp data: " + rnpError(r)};
  }
  return Input(raw);
}

// Go's armor.Decode accepts an armored block anywhere in the input; so do we, but nothing
// else (rkt reads keys with ReadArmoredKeyRing only).
Status requireArmor(std::string_view bytes) {
  if (bytes.find("-----BEGIN PGP PUBLIC KEY BLOCK-----") == std::string_view::npos) {
    return Error{"openpgp: invalid argument: no armored public key block found"};
  }
  return {};
}

Result<PublicKey> describeKey(rnp_key_handle_t key) {
  PublicKey out;
  char* fp = nullptr;
  if (rnp_result_t r = rnp_key_get_fprint(key, &fp); r != RNP_SUCCESS) {
    return Error{"cannot read key fingerprint: " + rnpError(r)};
  }
  out.fingerprint = lower(takeString(fp));
  size_t subkeys = 0;
  rnp_key_get_subkey_count(key, &subkeys);
  for (size_t i = 0; i < subkeys; ++i) {
    rnp_key_handle_t sub = nullptr;
    if (rnp_key_get_subkey_at(key, i, &sub) != RNP_SUCCESS) {
      continue;
    }
    Key owned(sub);
    char* sfp = nullptr;
    if (rnp_key_get_fprint(sub, &sfp) == RNP_SUCCESS) {
      out.subkeyFingerprints.push_back(lower(takeString(sfp)));
    }
  }
  size_t uids = 0;
  rnp_key_get_uid_count(key, &uids);
  for (size_t i = 0; i < uids; ++i) {
    char* uid = nullptr;
    if (rnp_key_get_uid_at(key, i, &uid) == RNP_SUCCESS) {
      out.userIds.push_back(takeString(uid));
    }
  }
  return out;
}

// Primary keys of `ffi` in the order they were loaded.
Result<std::vector<PublicKey>> primaryKeys(rnp_ffi_t ffi) {
  rnp_identifier_iterator_t rawIt = nullptr;
  if (rnp_result_t r = rnp_identifier_iterator_create(ffi, &rawIt, "fingerprint");
      r != RNP_SUCCESS) {
    return Error{"cannot list keys: " + rnpError(r)};
  }
  Iterator it(rawIt);
  std::vector<PublicKey> keys;
  const char* id = nullptr;
  while (rnp_identifier_iterator_next(it.get(), &id) == RNP_SUCCESS && id != nullptr) {
    rnp_key_handle_t raw = nullptr;
    if (rnp_locate_key(ffi, "fingerprint", id, &raw) != RNP_SUCCESS || raw == nullptr) {
      continue;
    }
    Key key(raw);
    bool primary = false;
    if (rnp_key_is_primary(key.get(), &primary) != RNP_SUCCESS || !primary) {
      continue;
    }
    auto described = describeKey(key.get());
    if (!described) {
      return described.error();
    }
    keys.push_back(std::move(*described));
  }
  return keys;
}

Status importKeys(rnp_ffi_t ffi, std::string_view armored, uint32_t extraFlags) {
  if (Status s = requireArmor(armored); !s) {
    return s;
  }
  auto input = memoryInput(armored);
  if (!input) {
    return input.error();
  }
  char* results = nullptr;
  QuietStderr quiet;
  rnp_result_t r =
      rnp_import_keys(ffi, input->get(), RNP_LOAD_SAVE_PUBLIC_KEYS | extraFlags, &results);
  rnp_buffer_destroy(results);
  if (r != RNP_SUCCESS) {
    return Error{"openpgp: cannot read public key: " + rnpError(r)};
  }
  return {};
}

}  // namespace

std::string displayFingerprint(std::string_view fingerprint) {
  std::string out;
  for (size_t i = 0; i < fingerprint.size(); ++i) {
    if (i > 0 && i % 4 == 0) {
      out += ' ';
      if (i == fingerprint.size() / 2) {
        out += ' ';
      }
    }
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(fingerprint[i])));
  }
  return out;
}

Result<std::vector<PublicKey>> readArmoredKeys(std::string_view armored) {
  auto ffi = newFfi();
  if (!ffi) {
    return ffi.error();
  }
  if (Status s = importKeys(ffi->get(), armored, 0); !s) {
    return s.error();
  }
  auto keys = primaryKeys(ffi->get());
  if (keys && keys->empty()) {
    return Error{"openpgp: no public key found"};
  }
  return keys;
}

struct Keyring::Impl {
  Ffi ffi;
  std::vector<PublicKey> keys;
};

Keyring::Keyring() : impl_(std::make_unique<Impl>()) {}
Keyring::~Keyring() = default;
Keyring::Keyring(Keyring&&) noexcept = default;
Keyring& Keyring::operator=(Keyring&&) noexcept = default;

std::size_t Keyring::size() const {
  return impl_->keys.size();
}

Result<PublicKey> Keyring::addFirstKey(std::string_view armored) {
  // Parse alone first, so a bad block never leaves half a key in the keyring.
  auto single = newFfi();
  if (!single) {
    return single.error();
  }
  if (Status s = importKeys(single->get(), armored, RNP_LOAD_SAVE_SINGLE); !s) {
    return s.error();
  }
  auto keys = primaryKeys(single->get());
  if (!keys) {
    return keys.error();
  }
  if (keys->empty()) {
    return Error{"openpgp: no public key found"};
  }
  if (!impl_->ffi) {
    auto ffi = newFfi();
    if (!ffi) {
      return ffi.error();
    }
    impl_->ffi = std::move(*ffi);
  }
  if (Status s = importKeys(impl_->ffi.get(), armored, RNP_LOAD_SAVE_SINGLE); !s) {
    return s.error();
  }
  impl_->keys.push_back(keys->front());
  return keys->front();
}

Result<PublicKey> Keyring::verifyDetached(const std::string& dataPath,
                                          std::string_view signature) const {
  if (!impl_->ffi) {
    auto ffi = newFfi();
    if (!ffi) {
      return ffi.error();
    }
    impl_->ffi = std::move(*ffi);
  }
  rnp_input_t rawData = nullptr;
  if (access(dataPath.c_str(), R_OK) != 0) {
    return sysError("cannot open `" + dataPath + "`");
  }
  if (rnp_result_t r = rnp_input_from_path(&rawData, dataPath.c_str()); r != RNP_SUCCESS) {
    return Error{"cannot open `" + dataPath + "`: " + rnpError(r)};
  }
  Input data(rawData);
  if (signature.empty()) {
    return Error{"keystore: no valid signatures found in signature file"};
  }
  auto sig = memoryInput(signature);
  if (!sig) {
    return sig.error();
  }
  rnp_op_verify_t rawOp = nullptr;
  if (rnp_result_t r =
          rnp_op_verify_detached_create(&rawOp, impl_->ffi.get(), data.get(), sig->get());
      r != RNP_SUCCESS) {
    return Error{"cannot start signature verification: " + rnpError(r)};
  }
  Verify op(rawOp);
  rnp_result_t executed;
  {
    QuietStderr quiet;
    executed = rnp_op_verify_execute(op.get());
  }

  size_t count = 0;
  if (rnp_op_verify_get_signature_count(op.get(), &count) != RNP_SUCCESS || count == 0) {
    // Nothing that parses as a signature: Go reports io.EOF here, which rkt rewords.
    return Error{"keystore: no valid signatures found in signature file"};
  }
  std::optional<rnp_result_t> firstFailure;
  for (size_t i = 0; i < count; ++i) {
    rnp_op_verify_signature_t s = nullptr;
    if (rnp_op_verify_get_signature_at(op.get(), i, &s) != RNP_SUCCESS) {
      continue;
    }
    rnp_result_t status = rnp_op_verify_signature_get_status(s);
    if (status != RNP_SUCCESS) {
      if (!firstFailure) {
        firstFailure = status;
      }
      continue;
    }
    rnp_key_handle_t rawKey = nullptr;
    if (rnp_op_verify_signature_get_key(s, &rawKey) != RNP_SUCCESS || rawKey == nullptr) {
      continue;
    }
    Key key(rawKey);
    char* primary = nullptr;
    bool isPrimary = false;
    std::string fingerprint;
    if (rnp_key_is_primary(key.get(), &isPrimary) == RNP_SUCCESS && isPrimary) {
      if (rnp_key_get_fprint(key.get(), &primary) == RNP_SUCCESS) {
        fingerprint = lower(takeString(primary));
      }
    } else if (rnp_key_get_primary_fprint(key.get(), &primary) == RNP_SUCCESS) {
      fingerprint = lower(takeString(primary));
    }
    for (const PublicKey& k : impl_->keys) {
      if (k.fingerprint == fingerprint) {
        return k;
      }
    }
  }
  rnp_result_t failure = firstFailure.value_or(executed);
  if (failure == RNP_ERROR_KEY_NOT_FOUND) {
    return Error{"openpgp: signature made by unknown entity"};
  }
  if (failure == RNP_ERROR_SIGNATURE_EXPIRED) {
    return Error{"openpgp: invalid signature: signature expired"};
  }
  if (failure == RNP_ERROR_SIGNATURE_INVALID) {
    return Error{"openpgp: invalid signature: the signed data or the signature was modified"};
  }
  return Error{"openpgp: invalid signature: " + rnpError(failure)};
}

}  // namespace rkt::trust

// ---- module entry ------------------------------------------------------------------------------
// rkt-openpgp.so: OpenPGP over librnp (and botan), loaded on first use by
// core/src/trust/openpgp.cpp so that commands which never check a signature do not map librnp's
// stack at start. Same build as the core: C++ types cross (it is not a third-party plugin). The
// table's layout is shared with the core through core/src/trust/openpgp_module.hpp.
#include "trust/openpgp_module.hpp"

namespace {

rkt::trust::detail::OpenPgpModule makeTable() {
  using rkt::trust::Keyring;
  rkt::trust::detail::OpenPgpModule m;
  m.displayFingerprint = [](std::string_view fp) { return rkt::trust::displayFingerprint(fp); };
  m.readArmoredKeys = [](std::string_view armored) { return rkt::trust::readArmoredKeys(armored); };
  m.newKeyring = []() -> void* { return new Keyring(); };
  m.deleteKeyring = [](void* ring) { delete static_cast<Keyring*>(ring); };
  m.addFirstKey = [](void* ring, std::string_view armored) {
    return static_cast<Keyring*>(ring)->addFirstKey(armored);
  };
  m.size = [](const void* ring) { return static_cast<const Keyring*>(ring)->size(); };
  m.verifyDetached = [](const void* ring, const std::string& dataPath, std::string_view sig) {
    return static_cast<const Keyring*>(ring)->verifyDetached(dataPath, sig);
  };
  return m;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const rkt::trust::detail::OpenPgpModule*
rkt_internal_openpgp_v1() {
  static const rkt::trust::detail::OpenPgpModule table = makeTable();
  return &table;
}
