// Pod UUIDs: random RFC 4122 version 4, printed in the canonical lowercase 8-4-4-4-12 form
// that names pod directories, plus the `--uuid-file` / `--uuid-file-save` helpers.
#ifndef RKT_CORE_POD_UUID_HPP
#define RKT_CORE_POD_UUID_HPP

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "rkt/core/result.hpp"

namespace rkt::pod {

class Uuid {
 public:
  /// The nil UUID (all zero).
  Uuid() = default;
  explicit Uuid(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  /// A new random version 4 UUID (getrandom(2), falling back to /dev/urandom).
  static Result<Uuid> generate();

  /// Parses the canonical 36-character form (any case) or 32 hex digits without dashes.
  static Result<Uuid> parse(std::string_view text);

  /// Canonical lowercase form, e.g. "076292e6-54c4-4cc8-9fa7-679c5f7dcfd3".
  std::string str() const;

  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  bool isNil() const;

  friend bool operator==(const Uuid& a, const Uuid& b) { return a.bytes_ == b.bytes_; }
  friend bool operator!=(const Uuid& a, const Uuid& b) { return a.bytes_ != b.bytes_; }
  friend bool operator<(const Uuid& a, const Uuid& b) { return a.bytes_ < b.bytes_; }

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

/// Contents of a `--uuid-file`, with surrounding whitespace trimmed (rkt's TrimSpace). The
/// result is a UUID argument to resolve (resolveUuid), not validated here. Fails when the
/// file cannot be read: the CLI exits 1 then, as rkt does for `status` and `stop`.
Result<std::string> readUuidFile(const std::string& path);

/// Writes the UUID for `--uuid-file-save`: canonical form, no trailing newline, mode 0644,
/// replacing an existing file.
Status writeUuidFile(const std::string& path, const Uuid& uuid);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_UUID_HPP
