/*
 * Image store plugins (RKT_KIND_STORE): keep imported images and their index.
 * See plugin.h for the versioning and ownership rules every ops table follows.
 */
#ifndef RKT_ABI_STORE_H
#define RKT_ABI_STORE_H

#include "rkt/abi/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ops table of a store factory. NULL members are "not supported". OWNERSHIP: plugin, static. */
typedef struct rkt_store_ops {
  uint32_t struct_size;
  /**
   * Describes the store (JSON appended to `result`), at least {"root": "<directory>"}.
   */
  rkt_status (*info)(rkt_instance_plugin_ptr self, rkt_buffer_host_ptr result,
                     rkt_error_host_ptr err);
} rkt_store_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_STORE_H */
