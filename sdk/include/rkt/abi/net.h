/*
 * Network type plugins (RKT_KIND_NET) and what they share with IPAM plugins (rkt/abi/ipam.h):
 * the CNI operations (ADD, DEL, CHECK, GC, STATUS, VERSION; CNI spec 1.1) run in-process.
 * See plugin.h for the versioning and ownership rules every ops table follows. Reshaped in ABI
 * 1.6 (before it no net or ipam plugin existed; the loader refuses net and ipam factories of a
 * plugin built against an older minor).
 *
 * Messages (JSON; one definition in rkt/sdk/protocol/cni.hpp, schemas sdk/schema/net-*.json):
 *  - request of every op: {"cniVersion", "name" (network), "container_id", "ifname", "args"
 *    (CNI_ARGS "K=V;K=V"), "netns" (path, for results and messages only: use the descriptor),
 *    "config" (the network's whole configuration object, what a CNI plugin reads on stdin),
 *    "runtimeConfig", "prevResult", "valid_attachments" (GC)}.
 *  - result of add (and of an IPAM add): one CNI result of the request's cniVersion
 *    (spec 1.0 layout: interfaces, ips, routes, dns), "cniVersion" included.
 *  - on failure, besides the status and `err`, a plugin may append one CNI error object
 *    {"code", "msg", "details"} to `result` (code 999 when it appends none); the host passes it
 *    on unchanged to CNI callers.
 *
 * Namespaces: the host calls every op on a thread in the host network namespace, with
 * `ctx->container_netns_fd` open on the container's namespace (-1 on DEL and GC when it is gone)
 * and `ctx->host_netns_fd` open on the host's. A plugin that enters the container namespace
 * (setns) MUST return to `host_netns_fd` before it returns, also on failure; the host checks
 * and fails the call (with RKT_E_INTERNAL) when the thread came back in another namespace.
 *
 * Validation and rollback (netavark's model): a plugin checks its whole configuration before it
 * changes anything, and an ADD that fails undoes what it did (including a delegated IPAM ADD)
 * before returning. DEL releases whatever exists and succeeds on what is already gone.
 */
#ifndef RKT_ABI_NET_H
#define RKT_ABI_NET_H

#include "rkt/abi/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The CNI operations, for delegation (rkt_net_context.delegate). */
typedef enum rkt_cni_command {
  RKT_CNI_INVALID = 0,
  RKT_CNI_ADD = 1,
  RKT_CNI_DEL = 2,
  RKT_CNI_CHECK = 3,
  RKT_CNI_GC = 4,
  RKT_CNI_STATUS = 5,
  RKT_CNI_VERSION = 6,
} rkt_cni_command;

/** Opaque, host-owned state of one call, passed back to rkt_net_context.delegate. */
typedef struct rkt_net_call* rkt_net_call_host_ptr;

/** Receives the bytes of a delegated call's result. OWNERSHIP: plugin (`sink_ctx`). */
typedef void (*rkt_net_sink)(void* sink_ctx, const char* data, size_t len);

/**
 * What the host passes with every net and ipam op besides the JSON request.
 * OWNERSHIP: host; valid for the duration of the call. The descriptors belong to the host:
 * never close them.
 */
typedef struct rkt_net_context {
  uint32_t struct_size;
  /** The container's network namespace; -1 when there is none (DEL, GC, STATUS, VERSION). */
  int container_netns_fd;
  /** The namespace the call was made in, where the plugin must be when it returns. */
  int host_netns_fd;
  /**
   * A directory the plugin owns for state across calls (created 0700 by the host:
   * /var/lib/rkt/net/<kind>-<type>/ for rkt itself, under rkt-cni's --state-dir otherwise).
   * OWNERSHIP: host.
   */
  const char* state_dir;
  rkt_net_call_host_ptr call;
  /**
   * Runs the in-process plugin of `kind` (RKT_KIND_IPAM, or RKT_KIND_NET for a meta plugin
   * such as flannel delegating to bridge) named by the request's config (`config.ipam.type`
   * for IPAM, `config.type` for net) with the same context, as a CNI plugin delegates to the
   * plugin named `type` through CNI_PATH. `request` is a full request (as above). The result,
   * or on failure the CNI error object, goes to `sink`; `err` gets the message. The host may
   * also run an external CNI binary of that type.
   */
  rkt_status (*delegate)(rkt_net_call_host_ptr call, rkt_kind kind, rkt_cni_command command,
                         const char* request, size_t request_len, rkt_net_sink sink,
                         void* sink_ctx, rkt_error_host_ptr err);
} rkt_net_context;

/** Ops table of a net factory. NULL members are "not supported". OWNERSHIP: plugin, static. */
typedef struct rkt_net_ops {
  uint32_t struct_size;
  /** CNI ADD: attaches the container to the network; appends the CNI result to `result`. */
  rkt_status (*add)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                    const char* request, size_t request_len, rkt_buffer_host_ptr result,
                    rkt_error_host_ptr err);
  /** CNI DEL: detaches; succeeds on what is already gone (no netns, no link, no lease). */
  rkt_status (*del)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                    const char* request, size_t request_len, rkt_buffer_host_ptr result,
                    rkt_error_host_ptr err);
  /** CNI CHECK: verifies the attachment in `prevResult` still holds. */
  rkt_status (*check)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                      const char* request, size_t request_len, rkt_buffer_host_ptr result,
                      rkt_error_host_ptr err);
  /** CNI GC: releases everything of the network not in `valid_attachments`. */
  rkt_status (*gc)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                   const char* request, size_t request_len, rkt_buffer_host_ptr result,
                   rkt_error_host_ptr err);
  /** CNI STATUS: whether the network can take an ADD now (CNI codes 50, 51 when not). */
  rkt_status (*status)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                       const char* request, size_t request_len, rkt_buffer_host_ptr result,
                       rkt_error_host_ptr err);
  /** CNI VERSION: appends {"cniVersion", "supportedVersions": [...]}. */
  rkt_status (*version)(rkt_instance_plugin_ptr self, const rkt_net_context* ctx,
                        const char* request, size_t request_len, rkt_buffer_host_ptr result,
                        rkt_error_host_ptr err);
} rkt_net_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_NET_H */
