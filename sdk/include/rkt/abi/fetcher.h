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
   * Fetches one image. `request` is `request_len` bytes of JSON; at least
   * {"image": "<image string as the user typed it>"}. On success the plugin appends a JSON
   * object to `result`; at least {"path": "<absolute path of a local file holding the image>"}.
   */
  rkt_status (*fetch)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                      rkt_buffer_host_ptr result, rkt_error_host_ptr err);
} rkt_fetcher_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_FETCHER_H */
