/*
 * Stage1 flavor plugins (RKT_KIND_STAGE1): take a prepared pod and run it.
 * See plugin.h for the versioning and ownership rules every ops table follows.
 */
#ifndef RKT_ABI_STAGE1_H
#define RKT_ABI_STAGE1_H

#include "rkt/abi/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ops table of a stage1 factory. NULL members are "not supported". OWNERSHIP: plugin, static. */
typedef struct rkt_stage1_ops {
  uint32_t struct_size;
  /**
   * Runs a prepared pod. `request` is JSON, at least {"pod_dir": "<absolute path>"}. A flavor
   * that replaces the calling process (execve) does not return on success; otherwise it
   * returns when the pod has exited and stores its exit status in `*exit_status`.
   */
  rkt_status (*run)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                    int* exit_status, rkt_error_host_ptr err);
} rkt_stage1_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_STAGE1_H */
