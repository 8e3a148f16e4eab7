// A repository's blobs into an OCI layout: several at once, each into its own locked download
// file under tmp_dir (named by its digest, so that an interrupted transfer is resumed with an
// HTTP Range request, by the next attempt of this fetch or by a later fetch), then checked
// against its digest and size and only then moved into the layout. A blob whose bytes do not
// match is deleted and fails the fetch.
#ifndef RKT_PLUGINS_DOCKER_BLOB_DOWNLOAD_HPP
#define RKT_PLUGINS_DOCKER_BLOB_DOWNLOAD_HPP

#include <string>
#include <vector>

#include "manifest.hpp"
#include "oci_layout.hpp"
#include "registry_session.hpp"

namespace rkt::dockerfetcher {

/// Layers downloaded at the same time.
inline constexpr std::size_t kParallelDownloads = 3;
/// Attempts per blob: a transfer cut short is resumed this many times less one.
inline constexpr int kAttemptsPerBlob = 3;

/// Downloads `blobs` (a digest listed twice is downloaded once) into `layout`. Throws
/// rkt::sdk::Error naming the blob and the image (`shown`) after the other transfers ended.
void downloadBlobs(RegistrySession& session, const std::vector<Descriptor>& blobs,
                   const std::string& tmpDir, OciLayout& layout, const std::string& shown);

/// "sha256:" + the hex SHA-256 of the file's content; `gunzip`: of its gzip-decompressed
/// content (a layer's diff_id).
std::string fileDigest(const std::string& path, bool gunzip = false);

}  // namespace rkt::dockerfetcher

#endif  // RKT_PLUGINS_DOCKER_BLOB_DOWNLOAD_HPP
