// Local images: a path (absolute or relative to the current directory) or a file:// URL.
// The file is used where it is (never copied); the core imports it.
#ifndef RKT_SUPPORT_FETCH_LOCAL_IMAGE_HPP
#define RKT_SUPPORT_FETCH_LOCAL_IMAGE_HPP

#include <string>

#include "rkt/sdk/protocol/fetcher.hpp"

namespace rkt::fetch {

using protocol::fetcher::FetchRequest;
using protocol::fetcher::FetchResult;

/// rkt's signature location for an image path or URL path: "<path without .aci>.aci.asc".
std::string ascPathFor(const std::string& imagePath);

/// The --signature file as an absolute path; throws rkt::sdk::Error when it cannot be read.
std::string signatureFile(const std::string& path);

/// Resolves `path` (already stripped of any file:// prefix) to an absolute, lexically clean
/// path, checks that it is a readable regular file and picks its signature: the request's
/// --signature file (which must exist), else ascPathFor(path) when that file exists.
/// Throws rkt::sdk::Error naming the file that is missing or unreadable.
FetchResult fetchLocalImage(const std::string& path, const FetchRequest& req);

}  // namespace rkt::fetch

#endif  // RKT_SUPPORT_FETCH_LOCAL_IMAGE_HPP
