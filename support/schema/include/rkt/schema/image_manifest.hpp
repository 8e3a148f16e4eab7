// The appc ImageManifest: the `manifest` file of an ACI.
#ifndef RKT_CORE_SCHEMA_IMAGE_MANIFEST_HPP
#define RKT_CORE_SCHEMA_IMAGE_MANIFEST_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/schema/app.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::schema {

inline constexpr std::string_view kImageManifestKind = "ImageManifest";

struct ImageManifest {
  std::string acKind{kImageManifestKind};
  std::string acVersion{kAppcVersion};  ///< SemVer, not 0.0.0
  std::string name;                     ///< AC Identifier, required
  Labels labels;
  std::optional<App> app;  ///< absent: the image cannot run by itself
  Dependencies dependencies;
  std::vector<std::string> pathWhitelist;  ///< absolute paths; empty = no whitelist
  Annotations annotations;

  /// Value of label `name` (e.g. kLabelVersion), or nullopt.
  std::optional<std::string> label(std::string_view labelName) const {
    return findValue(labels, labelName);
  }
  /// Value of annotation `name`, or nullopt.
  std::optional<std::string> annotation(std::string_view annotationName) const {
    return findValue(annotations, annotationName);
  }

  bool operator==(const ImageManifest& o) const;
  bool operator!=(const ImageManifest& o) const { return !(*this == o); }
};

/// Parses and validates an image manifest. JSON keys match case-insensitively and unknown keys are
/// ignored, like the reference (Go) library; `null` reads as absent. Errors are one line:
/// "invalid image manifest: `app.user`: must not be empty".
Result<ImageManifest> parseImageManifest(std::string_view json);
/// The rules parseImageManifest() applies, for a manifest built in code.
Status validateImageManifest(const ImageManifest& manifest);
/// Validates, then serialises with the reference library's field order; empty optional fields
/// are omitted.
Result<std::string> serializeImageManifest(const ImageManifest& manifest,
                                           JsonStyle style = JsonStyle::Compact);

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_IMAGE_MANIFEST_HPP
