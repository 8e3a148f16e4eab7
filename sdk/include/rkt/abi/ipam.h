/*
 * IPAM plugins (RKT_KIND_IPAM): hand out and take back addresses for a network, with the
 * semantics of a CNI IPAM plugin. Requests, results, errors, the context and the namespace
 * rule are those of rkt/abi/net.h; the result of add is CNI's IPAM result (ips without
 * `interface`, routes, dns). A net plugin reaches an IPAM plugin through
 * rkt_net_context.delegate, never directly. Reshaped in ABI 1.6.
 */
#ifndef RKT_ABI_IPAM_H
#define RKT_ABI_IPAM_H

#include "rkt/abi/net.h"
#include "rkt/abi/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ops table of an ipam factory. NULL members are "not supported". OWNERSHIP: plugin, static. */
typedef struct rkt_ipam_ops {
  uint32_t struct_size;
  /** Allocates addresses for (container_id, ifname); appends the IPAM result. */
  rkt_status (*add)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                    const char* request, size_t request_len, rkt_buffer_host_ptr result,
                    rkt_error_host_ptr err);
  /** Releases what add allocated for (container_id, ifname); nothing to release succeeds. */
  rkt_status (*del)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                    const char* request, size_t request_len, rkt_buffer_host_ptr result,
                    rkt_error_host_ptr err);
  /** Verifies the allocation still holds. */
  rkt_status (*check)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                      const char* request, size_t request_len, rkt_buffer_host_ptr result,
                      rkt_error_host_ptr err);
  /** Releases every allocation of the network not in `valid_attachments`. */
  rkt_status (*gc)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                   const char* request, size_t request_len, rkt_buffer_host_ptr result,
                   rkt_error_host_ptr err);
  /** Whether addresses can be handed out now. */
  rkt_status (*status)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                       const char* request, size_t request_len, rkt_buffer_host_ptr result,
                       rkt_error_host_ptr err);
  /** Appends {"cniVersion", "supportedVersions": [...]}. */
  rkt_status (*version)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                        const char* request, size_t request_len, rkt_buffer_host_ptr result,
                        rkt_error_host_ptr err);
} rkt_ipam_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_IPAM_H */
