/*
 * IPAM plugins (RKT_KIND_IPAM): hand out and take back addresses for a network, with the
 * semantics of a CNI IPAM plugin (ADD / DEL / CHECK).
 * See plugin.h for the versioning and ownership rules every ops table follows.
 */
#ifndef RKT_ABI_IPAM_H
#define RKT_ABI_IPAM_H

#include "rkt/abi/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ops table of an ipam factory. NULL members are "not supported". OWNERSHIP: plugin, static. */
typedef struct rkt_ipam_ops {
  uint32_t struct_size;
  /**
   * Allocates. `request` is JSON: {"container_id", "netns", "ifname", "config" (the network's
   * configuration, with its "ipam" object)}. Appends a CNI-style result (ips, routes, dns).
   */
  rkt_status (*add)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                    rkt_buffer_host_ptr result, rkt_error_host_ptr err);
  /** Releases what `add` allocated for the same container and interface. Idempotent. */
  rkt_status (*del)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                    rkt_error_host_ptr err);
  /** Verifies the allocation still holds. */
  rkt_status (*check)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                      rkt_error_host_ptr err);
} rkt_ipam_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_IPAM_H */
