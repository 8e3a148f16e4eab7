/*
 * Network type plugins (RKT_KIND_NET): attach a pod's network namespace to a network, with the
 * semantics of a CNI main plugin (ADD / DEL / CHECK).
 * See plugin.h for the versioning and ownership rules every ops table follows.
 */
#ifndef RKT_ABI_NET_H
#define RKT_ABI_NET_H

#include "rkt/abi/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ops table of a net factory. NULL members are "not supported". OWNERSHIP: plugin, static. */
typedef struct rkt_net_ops {
  uint32_t struct_size;
  /**
   * Attaches. `request` is JSON: {"container_id", "netns" (path), "ifname", "config" (the
   * network's configuration object)}. Appends a CNI-style result object to `result`.
   */
  rkt_status (*add)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                    rkt_buffer_host_ptr result, rkt_error_host_ptr err);
  /** Detaches; same request as `add`. Deleting what is already gone succeeds. */
  rkt_status (*del)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                    rkt_error_host_ptr err);
  /** Verifies an attachment made by `add` still holds; same request as `add`. */
  rkt_status (*check)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                      rkt_error_host_ptr err);
} rkt_net_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_NET_H */
