/*
 * Fetcher plugins (RKT_KIND_FETCHER): find an image and bring its bytes to the host.
 * See plugin.h for the versioning and ownership rules every ops table follows.
 */
#ifndef RKT_ABI_FETCHER_H
#define RKT_ABI_FETCHER_H

#include "rkt/abi/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ops table of a fetcher factory. NULL members are "not supported". OWNERSHIP: plugin, static. */
typedef struct rkt_fetcher_ops {
  uint32_t struct_size;
  /**
   * Fetches one image. The core routes an image string to the fetcher named after its
   * distribution (rkt's classification: "aci-archive" for paths and file/http(s) URLs of .aci
   * files, "docker", "appc", "oci"), or a `SCHEME:rest` / `SCHEME://rest` string of any other
   * scheme to the installed fetcher named SCHEME (docs/plugins.md, "Routing").
   * `request` is `request_len` bytes of JSON (ABI 1.1 fields):
   *   {"image": "<image string as the user typed it>",
   *    "tmp_dir": "<directory for downloads, on the store's filesystem>",
   *    "insecure": {"image": bool, "tls": bool, "http": bool, "pubkey": bool},
   *    "auth": [<auth.d entries: {"domains": [...], "type": "basic|oauth|aws",
   *              "credentials": {...}}>],
   *    "docker_auth": [<dockerAuth entries: {"registries": [...], "credentials": {...}}>],
   *    "remote": {<the store's download record for this image, when it has one: "url",
   *               "etag", "key", "cache_max_age", "download_time">},
   *    "signature": "<signature file given with --signature>", "debug": bool,
   *    "http_stall_timeout_ms": <ABI 1.3: a transfer that receives nothing for this long
   *                              fails; absent: the plugin's default (60000 in rkt's own)>}
   * Unknown fields are ignored. On success the plugin appends a JSON object to `result`:
   *   {"path": "<absolute path of a local file holding the image>",
   *    "signature_path": "<detached signature file, when there is one>",
   *    "cached_key": "<key of the stored image still valid (HTTP 304, max-age); no path then>",
   *    "remote": {<download record to store: "url", "sig_url", "etag", "cache_max_age",
   *               "download_time">}, "latest": bool}
   * Files the plugin leaves under tmp_dir belong to the caller, who removes them.
   */
  rkt_status (*fetch)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                      rkt_buffer_host_ptr result, rkt_error_host_ptr err);
} rkt_fetcher_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_FETCHER_H */
