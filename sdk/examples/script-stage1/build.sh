#!/bin/sh
# build.sh OUT.aci [NAME] [VERSION]: the script stage1 as an ACI, on a busybox-static rootfs
# (tests/fixtures/make-busybox-aci.sh). Prints the image ID.
set -e
here=$(cd "$(dirname "$0")" && pwd)
ACI_EXTRA_DIR=$here/rootfs ACI_MANIFEST_PATCH=$(cat "$here/manifest-patch.json") \
  exec "$here/../../../tests/fixtures/make-busybox-aci.sh" "$1" "${2:-example.com/script-stage1}" \
  "${3:-1.0.0}"
