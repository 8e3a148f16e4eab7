// What an image argument names (rkt-notes §1.5, §4.1): rkt's image string classification,
// which decides whether an image comes from the store only or which fetcher brings it.
#ifndef RKT_CORE_IMAGE_IMAGE_STRING_HPP
#define RKT_CORE_IMAGE_IMAGE_STRING_HPP

#include <functional>
#include <string>
#include <string_view>

#include "rkt/core/result.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::image {

/// rkt's distributions, the store-only image ID, and references for scheme fetcher plugins.
enum class ImageKind {
  kHash,        ///< an image ID, possibly abbreviated: resolved in the store, never fetched
  kAciArchive,  ///< a local path or a file/http/https URL of an .aci file
  kDocker,      ///< docker://REF or docker:REF
  kAppc,        ///< an appc image name with labels (discovery)
  kScheme,      ///< SCHEME:rest or SCHEME://rest served by an installed fetcher-SCHEME.so
};

/// An appc image name and the labels `name[:version][,label=value…]` requested.
struct AppcName {
  std::string name;
  schema::Labels labels;  ///< in the order given; `version` first when written as `:version`

  /// `name[:version][,label=value…]` back again (labels other than version sorted by name), as
  /// rkt's messages show an appc image.
  std::string toString() const;
};

/// A classified image argument.
struct ImageRef {
  ImageKind kind = ImageKind::kAppc;
  /// The argument as typed (what messages show).
  std::string input;
  /// What the fetcher gets as its "image": for aci-archive the path or URL (a cimd URI is
  /// unwrapped to its URL), for docker `docker://REF`, for appc `AppcName::toString()`, for a
  /// scheme fetcher the reference as typed.
  std::string fetchString;
  /// The store's download-record key for images that have one: the URL of an http(s) ACI,
  /// `docker://REF`, a scheme fetcher's reference as typed; empty for files, names and hashes.
  std::string remoteUrl;
  /// True for aci-archive images given as a path or file:// URL (always imported, any policy).
  bool localFile = false;
  /// kAppc only.
  AppcName appc;
  /// kScheme only: the reference's scheme, lowercase, which names its fetcher plugin.
  std::string scheme;

  /// The name of the fetcher plugin that brings this image: the distribution's ("aci-archive",
  /// "docker", "appc") or the scheme's; empty for kHash.
  std::string fetcherName() const;
};

/// Whether fetcher plugin `name` (a lowercase URL scheme) is installed.
using FetcherInstalled = std::function<bool(const std::string& name)>;

/// rkt's types.NewHash: `sha512-` and a non-empty value, nothing else (the store decides
/// whether the prefix is long enough and whether it exists).
bool looksLikeImageId(std::string_view s);

/// rkt's discovery.NewAppFromString: `name[:version][,label=value…]`; the name must be an AC
/// identifier, label names too, each label at most once, a colon only right after the name.
/// Errors: "malformed app string - colon may appear only right after the app name", ...
Result<AppcName> parseAppcName(std::string_view s);

/// Classifies an image argument, first match wins: an image ID; a file/http/https URL whose path
/// ends in .aci; docker: / docker://; cimd:<type>:v=<n>:<data>; no scheme: an absolute path, an
/// existing regular file, (with a colon) an appc name, something with `./` or ending in .aci is a
/// path, else an appc name; any other scheme: a kScheme reference when `schemeFetcher` says
/// fetcher-SCHEME.so is installed (never asked for rkt's own schemes and distribution names:
/// file, http, https, docker, cimd, aci-archive, appc), else an appc name. A file/http/https URL
/// without .aci is `invalid image string "<s>"`; an unparsable appc name is `invalid appc image
/// string "<s>": …`. Existence checks use the current directory. docs/plugins.md, "Routing".
Result<ImageRef> classifyImage(std::string_view image,
                               const FetcherInstalled& schemeFetcher = nullptr);

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_IMAGE_STRING_HPP
