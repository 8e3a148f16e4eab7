// The small appc types shared by image and pod manifests, with their validation.
//
// Structs are plain data mirroring the JSON (field names as in the JSON, camelCase). An empty
// string or empty list means "absent" and is omitted on serialisation; std::optional is used where
// the JSON distinguishes "absent" from a default (e.g. a volume's readOnly).
//
// Every validate*() returns the first problem as a one-line error that names the offending field
// by its JSON path, e.g. "`labels[1].name`: invalid AC identifier `Os`: ...". `field` is the path
// prefix to use for the value being validated.
#ifndef RKT_CORE_SCHEMA_TYPES_HPP
#define RKT_CORE_SCHEMA_TYPES_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/base/result.hpp"

namespace rkt::schema {

/// The appc spec version this library implements (written as the default `acVersion`).
inline constexpr std::string_view kAppcVersion = "0.8.11";

/// How serialise*() lays out JSON: compact, or indented with tabs like Go's
/// json.MarshalIndent(v, "", "\t") (what `rkt cat-manifest --pretty-print` prints).
enum class JsonStyle { Compact, Pretty };

// --- name/value lists: labels, annotations, environment ---------------------------------------

/// A `{"name": ..., "value": ...}` entry. Lists of them keep their order.
struct NameValue {
  std::string name;
  std::string value;

  bool operator==(const NameValue& o) const { return name == o.name && value == o.value; }
  bool operator!=(const NameValue& o) const { return !(*this == o); }
};
using Label = NameValue;
using Labels = std::vector<Label>;
using Annotation = NameValue;
using Annotations = std::vector<Annotation>;
using EnvironmentVariable = NameValue;
using Environment = std::vector<EnvironmentVariable>;

/// Free-form `{"key": "value"}` maps for end users (`userAnnotations`, `userLabels`); they must not
/// change what the executor does. Kept sorted, as Go serialises maps.
using UserAnnotations = std::map<std::string, std::string>;
using UserLabels = std::map<std::string, std::string>;

/// Value of the first entry called `name`, or nullopt (names are unique in a valid list).
std::optional<std::string> findValue(const std::vector<NameValue>& list, std::string_view name);
/// Replaces the value of the entry called `name` in place, or appends a new entry.
void setValue(std::vector<NameValue>& list, std::string_view name, std::string value);
/// Removes every entry called `name`; returns whether there was one.
bool removeValue(std::vector<NameValue>& list, std::string_view name);
/// Whether every label in `wanted` is in `have` with the same value; labels `wanted` does not
/// mention match anything (the discovery / store lookup rule).
bool labelsMatch(const Labels& have, const Labels& wanted);
/// `base` in its order, each entry of `over` replacing the value of the same name in place and new
/// names appended (how the metadata service merges image and pod-app annotations).
Annotations mergeAnnotations(const Annotations& base, const Annotations& over);

inline constexpr std::string_view kLabelVersion = "version";
inline constexpr std::string_view kLabelOs = "os";
inline constexpr std::string_view kLabelArch = "arch";

inline constexpr std::string_view kAnnotationAuthors = "authors";
inline constexpr std::string_view kAnnotationCreated = "created";
inline constexpr std::string_view kAnnotationHomepage = "homepage";
inline constexpr std::string_view kAnnotationDocumentation = "documentation";
inline constexpr std::string_view kAnnotationSupportsSystemdNotify =
    "appc.io/executor/supports-systemd-notify";

/// Names are AC Identifiers, unique, never `name`; `os`/`arch` must be a known pair
/// (see os_arch.hpp).
Status validateLabels(const Labels& labels, std::string_view field = "labels");
/// Names are AC Identifiers and unique; `created` must be an RFC 3339 date and `homepage` /
/// `documentation` http(s) URLs.
Status validateAnnotations(const Annotations& annotations, std::string_view field = "annotations");
/// Names match `[A-Za-z_][A-Za-z_0-9.-]*` and are unique; values are free.
Status validateEnvironment(const Environment& env, std::string_view field = "environment");
bool isValidEnvironmentName(std::string_view name);

/// RFC 3339 date-time with a `T`, seconds, optional fraction and `Z` or `±hh:mm`.
Status validateRfc3339(std::string_view text);
/// An http:// or https:// URL.
Status validateHttpUrl(std::string_view text);

// --- image IDs ---------------------------------------------------------------------------------

inline constexpr std::string_view kImageIdPrefix = "sha512-";

/// `sha512-` followed by 1 to 128 lowercase hex digits. The full ID has 128; rkt's store keys use
/// the first 64; shorter prefixes are accepted and left to the store to resolve.
Status validateImageId(std::string_view id);
/// The 39-character short form (`sha512-` + 32 hex digits), as `rkt image list` shows it.
std::string shortImageId(std::string_view id);

// --- app parts ---------------------------------------------------------------------------------

/// A command: the program (absolute, relative to the working directory, or looked up in PATH like
/// execvp(3)) and its arguments.
using Exec = std::vector<std::string>;

inline constexpr std::string_view kEventPreStart = "pre-start";
inline constexpr std::string_view kEventPostStop = "post-stop";

struct EventHandler {
  std::string name;  ///< `pre-start` or `post-stop`
  Exec exec;

  bool operator==(const EventHandler& o) const { return name == o.name && exec == o.exec; }
  bool operator!=(const EventHandler& o) const { return !(*this == o); }
};
/// Each name is `pre-start` or `post-stop` and appears at most once; each exec is non-empty.
Status validateEventHandlers(const std::vector<EventHandler>& handlers,
                             std::string_view field = "eventHandlers");

/// Where an app expects a volume.
struct MountPoint {
  std::string name;  ///< AC Name, matched against volume names
  std::string path;
  bool readOnly = false;

  bool operator==(const MountPoint& o) const {
    return name == o.name && path == o.path && readOnly == o.readOnly;
  }
  bool operator!=(const MountPoint& o) const { return !(*this == o); }
};
Status validateMountPoint(const MountPoint& mp, std::string_view field = "mountPoint");

/// A port (range) an app listens on.
struct Port {
  std::string name;      ///< AC Name
  std::string protocol;  ///< e.g. `tcp`, `udp`
  std::uint32_t port = 0;
  std::uint32_t count = 1;  ///< ports in the range starting at `port`; 0 in JSON reads as 1
  bool socketActivated = false;

  bool operator==(const Port& o) const {
    return name == o.name && protocol == o.protocol && port == o.port && count == o.count &&
           socketActivated == o.socketActivated;
  }
  bool operator!=(const Port& o) const { return !(*this == o); }
};
/// Name an AC Name, protocol non-empty, port 1..65535, count >= 1, port + count <= 65536.
Status validatePort(const Port& port, std::string_view field = "port");

// --- image dependencies ------------------------------------------------------------------------

struct Dependency {
  std::string imageName;  ///< AC Identifier, required
  std::string imageId;    ///< optional; the fetched image must hash to it
  Labels labels;
  std::uint64_t size = 0;  ///< optional; 0 = unknown

  bool operator==(const Dependency& o) const {
    return imageName == o.imageName && imageId == o.imageId && labels == o.labels && size == o.size;
  }
  bool operator!=(const Dependency& o) const { return !(*this == o); }
};
using Dependencies = std::vector<Dependency>;
Status validateDependency(const Dependency& dep, std::string_view field = "dependency");

// --- pod parts ---------------------------------------------------------------------------------

inline constexpr std::string_view kVolumeKindHost = "host";
inline constexpr std::string_view kVolumeKindEmpty = "empty";

/// A pod volume. `host`: `source` (absolute) is required, mode/uid/gid are forbidden. `empty`:
/// `source` is forbidden; mode/uid/gid default to "0755"/0/0 (parsing fills them in, as the
/// reference library does, so they are serialised).
struct Volume {
  std::string name;  ///< AC Name
  std::string kind;  ///< `host` or `empty`
  std::string source;
  std::optional<bool> readOnly;
  std::optional<bool> recursive;
  std::optional<std::string> mode;  ///< octal, e.g. "0755"
  std::optional<std::int64_t> uid;
  std::optional<std::int64_t> gid;

  bool operator==(const Volume& o) const {
    return name == o.name && kind == o.kind && source == o.source && readOnly == o.readOnly &&
           recursive == o.recursive && mode == o.mode && uid == o.uid && gid == o.gid;
  }
  bool operator!=(const Volume& o) const { return !(*this == o); }
};
Status validateVolume(const Volume& volume, std::string_view field = "volume");
/// Fills in an `empty` volume's defaults (mode "0755", uid 0, gid 0) where unset.
void setVolumeDefaults(Volume& volume);
/// Parses rkt's `--volume` syntax `NAME,kind=host,source=/srv,readOnly=true[,recursive=BOOL]` or
/// `NAME,kind=empty[,mode=0700][,uid=N][,gid=N][,readOnly=BOOL]`, fills defaults and validates.
/// Booleans take Go's spellings (1 t T TRUE true True, 0 f F FALSE false False).
Result<Volume> volumeFromString(std::string_view spec);
/// The `--volume` syntax for `volume` (inverse of volumeFromString()).
std::string volumeToString(const Volume& volume);

/// Binds a volume into one app of a pod.
struct Mount {
  std::string volume;               ///< AC Name of a pod volume
  std::string path;                 ///< target path in the app
  std::optional<Volume> appVolume;  ///< inline volume, overrides lookup by name

  bool operator==(const Mount& o) const {
    return volume == o.volume && path == o.path && appVolume == o.appVolume;
  }
  bool operator!=(const Mount& o) const { return !(*this == o); }
};
Status validateMount(const Mount& mount, std::string_view field = "mount");

/// A pod port exposed on the host.
struct ExposedPort {
  std::string name;  ///< AC Name of an app port
  std::uint32_t hostPort = 0;
  std::string hostIp;           ///< IPv4 or IPv6 literal; empty = all addresses
  std::optional<Port> podPort;  ///< overrides matching `name` against the apps' ports

  bool operator==(const ExposedPort& o) const {
    return name == o.name && hostPort == o.hostPort && hostIp == o.hostIp && podPort == o.podPort;
  }
  bool operator!=(const ExposedPort& o) const { return !(*this == o); }
};
Status validateExposedPort(const ExposedPort& port, std::string_view field = "port");

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_TYPES_HPP
