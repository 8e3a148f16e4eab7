/*
 * A stage1 flavor from before ABI 1.1: its ops table ends after `run`, so `describe`, `enter`,
 * `stop` and `gc` read as NULL ("not supported"). The pod commands must say so, and rm/gc must
 * still remove its pods. Never runs a pod: `run` refuses.
 */
#include <stddef.h>
#include <string.h>

#include "rkt/abi/plugin.h"
#include "rkt/abi/stage1.h"

static int g_instance;

static rkt_status minimal_create(const rkt_host_api* host, const char* config, size_t len,
                                 rkt_instance_plugin_ptr* out, rkt_error_host_ptr err) {
  (void)host;
  (void)config;
  (void)len;
  (void)err;
  *out = (rkt_instance_plugin_ptr)&g_instance;
  return RKT_OK;
}

static void minimal_destroy(rkt_instance_plugin_ptr instance) {
  (void)instance;
}

static const rkt_host_api* g_host;

static rkt_status minimal_run(rkt_instance_plugin_ptr self, const char* request, size_t len,
                              int* exit_status, rkt_error_host_ptr err) {
  (void)self;
  (void)request;
  (void)len;
  (void)exit_status;
  g_host->set_error(err, RKT_E_UNSUPPORTED, 0, "the minimal stage1 runs nothing");
  return RKT_E_UNSUPPORTED;
}

static const rkt_stage1_ops k_ops = {.struct_size = offsetof(rkt_stage1_ops, describe),
                                     .run = minimal_run};

static rkt_status minimal_init(const rkt_host_api* host, rkt_registrar_host_ptr reg,
                               rkt_error_host_ptr err) {
  rkt_factory f;
  g_host = host;
  memset(&f, 0, sizeof f);
  f.struct_size = sizeof f;
  f.kind = RKT_KIND_STAGE1;
  f.name = "minimal";
  f.ops = &k_ops;
  f.create = minimal_create;
  f.destroy = minimal_destroy;
  return host->register_factory(reg, &f, err);
}

static const rkt_plugin_descriptor k_descriptor = {
    .struct_size = sizeof(rkt_plugin_descriptor),
    .abi_major = RKT_PLUGIN_ABI_MAJOR,
    .abi_minor = 0,
    .name = "minimal",
    .version = "1.0.0",
    .description = "stage1 with run only (pod command tests)",
    .license = "MIT",
    .sdk_build = "c",
    .init = minimal_init};

RKT_ABI_EXPORT const rkt_plugin_descriptor* rkt_plugin_descriptor_v1(void) {
  return &k_descriptor;
}
