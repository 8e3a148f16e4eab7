// appc names: AC Identifier (image, label, annotation and isolator names) and AC Name (app,
// volume, mount point and port names).
//
// Validation follows the reference Go library (allowed characters + first/last character), not
// the stricter regular expression of the spec text, so that names produced by the Go tooling
// (docker2aci keeps docker's `a--b` and `a__b`) stay valid. docs/appc-schema.md explains why;
// isSpecAcIdentifier()/isSpecAcName() give the spec-text answer for producers that want it.
#ifndef RKT_CORE_SCHEMA_NAMES_HPP
#define RKT_CORE_SCHEMA_NAMES_HPP

#include <string>
#include <string_view>

#include "rkt/base/result.hpp"

namespace rkt::schema {

/// Characters `[a-z0-9._~/-]`, first and last one `[a-z0-9]`. Example: `example.com/~bob/db`.
bool isValidAcIdentifier(std::string_view s);
/// Characters `[a-z0-9-]`, first and last one `[a-z0-9]`. Example: `reduce-worker`.
bool isValidAcName(std::string_view s);

/// The spec's regular expressions `^[a-z0-9]+([-._~/][a-z0-9]+)*$` and `^[a-z0-9]+([-][a-z0-9]+)*$`
/// (no two separators in a row).
bool isSpecAcIdentifier(std::string_view s);
bool isSpecAcName(std::string_view s);

/// The reason `s` is not a valid AC Identifier, as "invalid AC identifier `Foo`: ...".
Status validateAcIdentifier(std::string_view s);
/// The reason `s` is not a valid AC Name, as "invalid AC name `a_b`: ...".
Status validateAcName(std::string_view s);

/// Lowercases `s`, turns every disallowed character into `-` and trims separators from both ends
/// ("Foo Bar!" -> "foo-bar"). Fails when nothing valid is left.
Result<std::string> sanitizeAcName(std::string_view s);
/// Same for AC Identifiers (every disallowed character becomes `-`).
Result<std::string> sanitizeAcIdentifier(std::string_view s);

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_NAMES_HPP
