// The appc PodManifest: the `pod` file of a pod directory.
//
// A pod manifest may be a *template* (apps named by image name + labels, volumes bound later);
// parsePodManifest() accepts templates. Before a pod runs it must be *reified*: checkPodReified().
#ifndef RKT_CORE_SCHEMA_POD_MANIFEST_HPP
#define RKT_CORE_SCHEMA_POD_MANIFEST_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/schema/app.hpp"
#include "rkt/schema/isolator.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::schema {

inline constexpr std::string_view kPodManifestKind = "PodManifest";

/// The image an app of a pod runs.
struct RuntimeImage {
  std::string name;  ///< AC Identifier; optional when `id` is set
  std::string id;    ///< image ID; required once reified
  Labels labels;

  bool operator==(const RuntimeImage& o) const {
    return name == o.name && id == o.id && labels == o.labels;
  }
  bool operator!=(const RuntimeImage& o) const { return !(*this == o); }
};

/// One app of a pod.
struct RuntimeApp {
  std::string name;  ///< AC Name, unique in the pod
  RuntimeImage image;
  std::optional<App> app;       ///< replaces the image's app when present
  bool readOnlyRootFs = false;  ///< JSON `readOnlyRootFS`
  std::vector<Mount> mounts;
  Annotations annotations;  ///< merged over the image's annotations (these win)

  bool operator==(const RuntimeApp& o) const;
  bool operator!=(const RuntimeApp& o) const { return !(*this == o); }
};

struct PodManifest {
  std::string acVersion{kAppcVersion};  ///< rkt writes its own version here (e.g. 1.30.0)
  std::string acKind{kPodManifestKind};
  std::vector<RuntimeApp> apps;
  std::vector<Volume> volumes;
  Isolators isolators;  ///< pod-level: bound the apps' isolators; unknown names allowed
  Annotations annotations;
  std::vector<ExposedPort> ports;
  UserAnnotations userAnnotations;
  UserLabels userLabels;

  /// The app called `name`, or nullptr.
  const RuntimeApp* findApp(std::string_view appName) const;
  RuntimeApp* findApp(std::string_view appName);
  /// The volume called `name`, or nullptr.
  const Volume* findVolume(std::string_view volumeName) const;

  bool operator==(const PodManifest& o) const;
  bool operator!=(const PodManifest& o) const { return !(*this == o); }
};

/// Parses and validates a pod manifest (templates allowed). Same JSON leniency as
/// parseImageManifest(). Errors: "invalid pod manifest: `apps[1].name`: duplicate app `web`".
Result<PodManifest> parsePodManifest(std::string_view json);
/// The rules parsePodManifest() applies: acKind, acVersion, unique app names (AC Names, required),
/// image names/IDs/labels when given, apps' `app`, mounts, unique volumes, pod isolators,
/// annotations, exposed ports.
Status validatePodManifest(const PodManifest& manifest);
/// What must hold before the pod runs, beyond validatePodManifest(): every app has an image ID
/// and every mount names a pod volume or carries an appVolume.
Status checkPodReified(const PodManifest& manifest);
/// Validates, then serialises with the reference library's field order. `apps`, `volumes`,
/// `isolators`, `annotations` and `ports` are always written (as `[]` when empty).
Result<std::string> serializePodManifest(const PodManifest& manifest,
                                         JsonStyle style = JsonStyle::Compact);

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_POD_MANIFEST_HPP
