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
   * Runs a prepared pod. `request` is JSON (ABI 1.1 fields, mirroring rkt's stage1 `run`
   * arguments): {"pod_dir": "<absolute $POD>", "uuid": "<pod UUID>", "lock_fd": <descriptor of
   * $POD, flock'ed LOCK_EX, without FD_CLOEXEC: keep it open and locked for the pod's whole life>,
   * "debug": bool, "net": ["<network>[:K=V;...]", ...], "interactive": bool, "hostname": "...",
   * "dns_conf_mode": {"resolv": "host|stage0|none|default", "hosts": "host|stage0|default"},
   * "local_config": "<dir>", "insecure": {"capabilities": bool, "paths": bool, "seccomp": bool},
   * "ipc": "auto|private|parent", "private_users": "<shift>:<count>" (ABI 1.5; only to a flavor
   * that describes "user_namespaces"; empty: none)}. The pod manifest is `$POD/pod`; app images are
   * rendered at
   * `$POD/stage1/rootfs/opt/stage2/<app>/rootfs`.
   * A flavor that replaces the calling process (execve) does not return on success; otherwise it
   * returns when the pod has exited and stores its exit status in `*exit_status`.
   */
  rkt_status (*run)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                    int* exit_status, rkt_error_host_ptr err);

  /* ---- ABI 1.1 ---- */

  /**
   * Describes what the flavor supports (JSON appended to `result`): {"max_apps": N (0: no
   * limit), "isolation": "chroot|namespaces|vm", "networking": bool, "mutable": bool,
   * "exit_status_preserved": bool, "user_namespaces": bool (ABI 1.5)}. Commands the flavor lacks
   * are the NULL members below.
   */
  rkt_status (*describe)(rkt_instance_plugin_ptr self, rkt_buffer_host_ptr result,
                         rkt_error_host_ptr err);
  /**
   * Runs a command inside a running pod's app. Request: {"pod_dir", "uuid", "pid": <pod PID1
   * as published in $POD/pid or found through $POD/ppid>, "app": "<app name>", "command":
   * ["/bin/sh", ...], "interactive": bool}. Like `run`, either replaces the calling process or
   * returns the command's exit status in `*exit_status`.
   */
  rkt_status (*enter)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                      int* exit_status, rkt_error_host_ptr err);
  /** Stops a running pod. Request: {"pod_dir", "uuid", "force": bool}. */
  rkt_status (*stop)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                     rkt_error_host_ptr err);
  /**
   * Releases what the flavor set up for an exited pod (network, cgroups, ...) before the core
   * unmounts and removes $POD. Request: {"pod_dir", "uuid", "debug": bool, "local_config"}.
   * Must succeed on a pod killed with SIGKILL and on resources already gone.
   */
  rkt_status (*gc)(rkt_instance_plugin_ptr self, const char* request, size_t request_len,
                   rkt_error_host_ptr err);
} rkt_stage1_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_STAGE1_H */
