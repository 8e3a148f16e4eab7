/*
 * Image store plugins (RKT_KIND_STORE): keep imported images, their index and their rendered
 * trees. See plugin.h for the versioning and ownership rules every ops table follows.
 *
 * Every operation but `info` takes a JSON request (`request_len` bytes, not NUL-terminated) and,
 * where it has a result, appends one JSON value to `result`. Image keys are
 * "sha512-" + 64 lowercase hex digits (the first half of the SHA-512 of the uncompressed tar).
 * Times are nanoseconds since the Unix epoch (JSON integers).
 *
 * Errors use the status codes of plugin.h: RKT_E_NOT_FOUND for a missing image, tree or remote
 * entry; RKT_E_INVALID for malformed requests, images and ambiguous ID prefixes; RKT_E_BUSY when
 * a lock cannot be had. The message is one line naming the object, as rkt prints it (e.g.
 * "no image IDs found", "ambiguous image ID").
 *
 * A store instance may be used by many processes at once (each opens its own instance): the
 * plugin does its own locking. Instance configuration: {"data_dir": "<$DATA>"}.
 */
#ifndef RKT_ABI_STORE_H
#define RKT_ABI_STORE_H

#include "rkt/abi/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The signature of every JSON operation of a store (see the file comment). */
typedef rkt_status (*rkt_store_json_op)(rkt_instance_plugin_ptr self, const char* request,
                                        size_t request_len, rkt_buffer_host_ptr result,
                                        rkt_error_host_ptr err);

/** Ops table of a store factory. NULL members are "not supported". OWNERSHIP: plugin, static. */
typedef struct rkt_store_ops {
  uint32_t struct_size;
  /**
   * Describes the store (JSON appended to `result`):
   * {"root": "<store directory>", "tmp_dir": "<directory for downloads, on the store's
   * filesystem>"}.
   */
  rkt_status (*info)(rkt_instance_plugin_ptr self, rkt_buffer_host_ptr result,
                     rkt_error_host_ptr err);

  /* ---- ABI 1.1 ---- */

  /**
   * Imports an image file (an ACI, gzip / bzip2 / xz / uncompressed), validating its manifest.
   * Request: {"path": "<file>", "latest": bool, "name": "<ABI 1.3, optional: what errors
   * call the image instead of the path, e.g. the URL it was downloaded from>"}. Result: {"key":
   * "<key>", "manifest": {…}}. Atomic: on failure nothing of the image is visible. Re-importing
   * identical content succeeds with the same key.
   */
  rkt_store_json_op import_image;
  /**
   * Resolves an image. Request: {"id": "<key or unique prefix, at least sha512-XX>"} or
   * {"name": "<AC name>", "labels": {"<label>": "<value>", …}} (rkt's GetACI rules: all labels
   * must match; without a "version" label images marked latest win; then the newest import).
   * Result: {"key": "<key>"}.
   */
  rkt_store_json_op resolve;
  /**
   * Lists every image. Request: {}. Result: [{"key", "name", "labels": {…}, "import_time",
   * "last_used", "latest", "size" (bytes of the stored tar), "tree_size" (bytes of its rendered
   * trees), "layers" (ABI 1.7: an image kept as layers, its layer digests bottom first)}, …].
   */
  rkt_store_json_op list;
  /** The stored image manifest. Request: {"key"}. Result: the manifest JSON object. */
  rkt_store_json_op manifest;
  /**
   * Opens an image for reading. Request: {"key"}. Result: {"path": "<the stored uncompressed
   * tar>"}; marks the image as used now. The path stays valid until the image is removed.
   */
  rkt_store_json_op blob;
  /** Removes an image and its remote entries. Request: {"key"}. Result: {}. */
  rkt_store_json_op remove;
  /**
   * Renders an image with its dependencies (which must already be in the store) into the tree
   * store. Request: {"key", "rebuild": bool}. Result: {"tree_id": "deps-sha512-…", "path":
   * "<tree directory holding manifest and rootfs/>"}. An existing, complete tree is reused
   * unless `rebuild`. ABI 1.7: for an image kept as layers, "lower_dirs": [the layer
   * directories, top first, in overlayfs' lower-layer form]; the tree's rootfs/ is the layer
   * above them, and the image's root filesystem is the stack of both.
   */
  rkt_store_json_op render;
  /**
   * Verifies the rendered tree of an image against its recorded hash, re-rendering a damaged
   * one. Request: {"key", "quick": bool}. Result: {"tree_id", "status": "ok" | "not-rendered" |
   * "rebuilt"}. ABI 1.2: with "quick" true (`rkt image render`) the store may take cheaper
   * evidence that the tree is unchanged since it was rendered or last verified (the cas store
   * compares the metadata of every entry), and must read the content whenever that evidence
   * is missing or differs; without it (`rkt image verify`) the content is always read. A
   * store built for ABI 1.1 ignores the field, which is correct, only slower. ABI 1.4: with
   * "check_only" true (`rkt run` / `rkt prepare`, which refuse a damaged tree) the store does
   * not render a damaged tree again but answers "status": "damaged"; a store built for ABI 1.3
   * or older ignores the field and repairs ("rebuilt").
   */
  rkt_store_json_op verify;
  /**
   * Lists rendered trees. Request: {"incomplete": bool}. Result: [{"tree_id", "key", "path",
   * "size", "complete": bool, "lower_dirs" (ABI 1.7, as render's)}, …]. ABI 1.3: with "incomplete"
   * true (`rkt image gc`) the result also holds trees a render left incomplete and nobody is
   * rendering now ("complete": false; "key" may be empty, "size" 0), which the host then removes
   * with remove_tree; a store keeps them otherwise (it must not retry a removal that failed on
   * every open). A store built for ABI 1.2 or older ignores the field and lists complete trees
   * only; a missing "complete" means true.
   */
  rkt_store_json_op list_trees;
  /** Removes a rendered tree. Request: {"tree_id"}. Result: {}. */
  rkt_store_json_op remove_tree;
  /**
   * The cached download record of a URL. Request: {"url"}. Result: {"url", "sig_url", "etag",
   * "key", "cache_max_age" (seconds), "download_time"}; RKT_E_NOT_FOUND when there is none.
   */
  rkt_store_json_op get_remote;
  /** Creates or replaces the download record of a URL (same fields as get_remote). Result: {}. */
  rkt_store_json_op put_remote;

  /* ---- ABI 1.7 ---- */

  /**
   * Imports an image kept as layers (docker and OCI images, docs/images.md "Storage"): its
   * appc manifest and its layers, bottom first. Request: {"manifest": {…}, "layers":
   * [{"digest": "sha256:…", "path": "<the layer blob>", "media_type", "size"}, …], "latest":
   * bool, "name"}. Each layer blob is checked against its digest and size; a layer the store
   * holds already (same digest) is shared, not stored again. Result: as import_image's. Atomic
   * as import_image: a refused layer leaves nothing of the image. The image's `render` result
   * then carries "lower_dirs"; its `blob` is the squashed ACI (made on request).
   */
  rkt_store_json_op import_layered_image;
} rkt_store_ops;

#ifdef __cplusplus
}
#endif

#endif /* RKT_ABI_STORE_H */
