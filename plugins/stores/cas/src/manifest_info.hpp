// The little the store needs from an image manifest: its name and labels. Full appc validation
// happens before an image reaches the store; this parser only refuses what the store cannot index.
#ifndef RKT_CAS_MANIFEST_INFO_HPP
#define RKT_CAS_MANIFEST_INFO_HPP

#include <optional>
#include <string>
#include <vector>

namespace rkt::cas {

struct Label {
  std::string name;
  std::string value;
  bool operator==(const Label& o) const { return name == o.name && value == o.value; }
};
using Labels = std::vector<Label>;

struct ManifestInfo {
  std::string name;
  Labels labels;

  /// The value of label `name`, if present.
  std::optional<std::string> label(const std::string& labelName) const;
};

/// Parses a manifest JSON object: "name" (a non-empty string) is required; "labels", when
/// present, must be an array of {"name": string, "value": string}. Throws RKT_E_INVALID
/// ("invalid image manifest: ...") otherwise.
ManifestInfo parseManifest(const std::string& json);

}  // namespace rkt::cas

#endif  // RKT_CAS_MANIFEST_INFO_HPP
