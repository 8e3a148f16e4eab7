/*
 * rkt plugin ABI, version 1: the C boundary between the rkt core and a plugin.
 *
 * Nothing of C++ crosses this boundary: no std types, no exceptions, no memory that one side
 * allocates and the other frees. A plugin built with another compiler, C++ runtime or Boost
 * version still loads as long as the ABI version check below passes.
 *
 * Versioning rules (enforced by the loader and by tests/abi):
 *  - RKT_PLUGIN_ABI_MAJOR changes only when something is removed or changes meaning; a host
 *    loads a plugin only when the plugin's major equals its own.
 *  - RKT_PLUGIN_ABI_MINOR grows when something is appended (a struct field, an ops member, a
 *    status code, a kind). A host loads plugins built against its own minor or an older one.
 *  - Every struct crossing the boundary starts with `struct_size` (sizeof at build time of the
 *    side that filled it). Fields are only ever appended; a reader treats members past
 *    `struct_size` as absent (NULL / zero).
 *  - Zero is never a valid enum value, except RKT_OK.
 *  - Any change to a file in this directory needs a version bump; tests/abi checks a hash.
 *
 * Naming: pointer typedefs ending in `_host_ptr` point to objects the host owns; those ending in
 * `_plugin_ptr` point to objects the plugin owns. Every pointer member states OWNERSHIP.
 *
 * Plugins are trusted, in-process code. The host only loads them from root-owned directories
 * that are not world-writable.
 */
#ifndef RKT_ABI_PLUGIN_H
#define RKT_ABI_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RKT_PLUGIN_ABI_MAJOR 1
#define RKT_PLUGIN_ABI_MINOR 7

/** Name of the one symbol a plugin exports: a function returning its descriptor. */
#define RKT_PLUGIN_ENTRY_SYMBOL "rkt_plugin_descriptor_v1"

#if defined(__GNUC__)
#define RKT_ABI_EXPORT __attribute__((visibility("default")))
#else
#define RKT_ABI_EXPORT
#endif

/** Result of every fallible call across the boundary. Codes are never reused. */
typedef enum rkt_status {
  RKT_OK = 0,
  RKT_E_INTERNAL = 1,    /**< a bug or an unexpected state inside the callee */
  RKT_E_INVALID = 2,     /**< bad argument, malformed configuration or request */
  RKT_E_NOT_FOUND = 3,   /**< the named object does not exist */
  RKT_E_EXISTS = 4,      /**< the named object already exists */
  RKT_E_UNSUPPORTED = 5, /**< the operation is not supported by this plugin */
  RKT_E_IO = 6,          /**< an I/O or system call failed (errno is set on the error) */
  RKT_E_PERMISSION = 7,  /**< not allowed (permissions, policy, signature) */
  RKT_E_BUSY = 8,        /**< locked or in use by another process */
  RKT_E_EXCEPTION = 9,   /**< a C++ exception was caught at the SDK boundary */
  RKT_E_NETWORK = 10,    /**< a network transfer failed */
} rkt_status;

/** Plugin kinds. A factory has exactly one kind. */
typedef enum rkt_kind {
  RKT_KIND_INVALID = 0,
  RKT_KIND_FETCHER = 1, /**< finds and downloads images (rkt/abi/fetcher.h) */
  RKT_KIND_STORE = 2,   /**< image store backend (rkt/abi/store.h) */
  RKT_KIND_STAGE1 = 3,  /**< stage1 flavor: runs pods (rkt/abi/stage1.h) */
  RKT_KIND_NET = 4,     /**< network type (rkt/abi/net.h) */
  RKT_KIND_IPAM = 5,    /**< IP address management (rkt/abi/ipam.h) */
} rkt_kind;

/** Log levels for rkt_host_api.log. */
typedef enum rkt_log_level {
  RKT_LOG_INVALID = 0,
  RKT_LOG_DEBUG = 1, /**< shown only with --debug */
  RKT_LOG_INFO = 2,
  RKT_LOG_WARNING = 3,
  RKT_LOG_ERROR = 4,
} rkt_log_level;

/** Opaque, host-owned error object. The plugin fills it only through rkt_host_api.set_error. */
typedef struct rkt_error* rkt_error_host_ptr;
/** Opaque, host-owned byte buffer the plugin appends results to (JSON or raw bytes). */
typedef struct rkt_buffer* rkt_buffer_host_ptr;
/** Opaque, host-owned registrar; valid only during rkt_plugin_descriptor.init. */
typedef struct rkt_registrar* rkt_registrar_host_ptr;
/** Opaque, plugin-owned instance created by rkt_factory.create. */
typedef struct rkt_instance* rkt_instance_plugin_ptr;

struct rkt_factory;

/**
 * Services the host offers to plugins. The table is valid from `init` until after `fini`.
 * OWNERSHIP: host. A plugin may keep the pointer for the whole time it is loaded.
 */
typedef struct rkt_host_api {
  uint32_t struct_size;
  uint32_t abi_major; /**< the host's RKT_PLUGIN_ABI_MAJOR */
  uint32_t abi_minor; /**< the host's RKT_PLUGIN_ABI_MINOR */
  /** The host's version string, e.g. "1.30.0+cpp". OWNERSHIP: host, static. */
  const char* host_version;
  /**
   * Records an error. `message` is a complete, lowercase, one-line message naming the object
   * ("cannot open `x`: ..."); the host copies it. `sys_errno` is 0 when there is none. Calling it
   * twice keeps the last call.
   */
  void (*set_error)(rkt_error_host_ptr err, rkt_status code, int sys_errno, const char* message);
  /**
   * Registers a factory. Legal only inside `init`; the host copies the struct and keeps the
   * pointers it holds (they must stay valid while the plugin is loaded). Fails with
   * RKT_E_EXISTS for a (kind, name) that is already registered, RKT_E_INVALID for a zero kind,
   * an empty name or a NULL ops table.
   */
  rkt_status (*register_factory)(rkt_registrar_host_ptr reg, const struct rkt_factory* factory,
                                 rkt_error_host_ptr err);
  /** Appends `len` bytes to a host buffer. */
  rkt_status (*buffer_append)(rkt_buffer_host_ptr buf, const char* data, size_t len);
  /** Writes one log line (no trailing newline needed) on the host's stderr. */
  void (*log)(rkt_log_level level, const char* plugin_name, const char* message);
} rkt_host_api;

/**
 * One factory: a named implementation of one kind. The host creates instances from it with a
 * JSON configuration and calls the kind's ops table on them.
 */
typedef struct rkt_factory {
  uint32_t struct_size;
  rkt_kind kind;
  /** Name unique within its kind, e.g. "fly", "aci-archive". OWNERSHIP: plugin, static. */
  const char* name;
  /** The kind's ops table (e.g. const rkt_fetcher_ops*), starting with its own struct_size.
   * OWNERSHIP: plugin, static. */
  const void* ops;
  /**
   * Creates an instance from a JSON configuration (`config` is `config_len` bytes, not
   * NUL-terminated; "{}" when there is none). On success stores the instance in `*out`.
   */
  rkt_status (*create)(const rkt_host_api* host, const char* config, size_t config_len,
                       rkt_instance_plugin_ptr* out, rkt_error_host_ptr err);
  /** Destroys an instance made by `create`. NULL-safe. */
  void (*destroy)(rkt_instance_plugin_ptr instance);
} rkt_factory;

/**
 * What a plugin declares about itself. Returned by the exported entry function.
 * OWNERSHIP: plugin, static; the host copies min(struct_size, host's sizeof) bytes.
 * The first three fields never move in any ABI major.
 */
typedef struct rkt_plugin_descriptor {
  uint32_t struct_size;    /**< sizeof(rkt_plugin_descriptor) at plugin build time */
  uint32_t abi_major;      /**< RKT_PLUGIN_ABI_MAJOR the plugin was built against */
  uint32_t abi_minor;      /**< RKT_PLUGIN_ABI_MINOR the plugin was built against */
  const char* name;        /**< required; the <name> in the file name <kind>-<name>.so */
  const char* version;     /**< required; the plugin's own version */
  const char* description; /**< required; one line */
  const char* license;     /**< required; SPDX identifier */
  const char* sdk_build;   /**< optional; SDK version and compiler, for diagnostics */
  /**
   * Required. Registers the plugin's factories through host->register_factory. Returning
   * anything but RKT_OK refuses the plugin (its registrations are discarded).
   */
  rkt_status (*init)(const rkt_host_api* host, rkt_registrar_host_ptr reg, rkt_error_host_ptr err);
  /** Optional. Called once before the host unloads the plugin. */
  void (*fini)(void);
} rkt_plugin_descriptor;

/** Type of the exported entry function RKT_PLUGIN_ENTRY_SYMBOL. */
typedef const rkt_plugin_descriptor* (*rkt_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_PLUGIN_H */
