#!/bin/bash
# Message lines scripts written for rkt v1.30 match, checked word for word (issue 17, item 5):
# a command's lines start with its own name (`rm:` for `rkt image rm`, as rkt's logger);
# `image ID too short`; appc's `bad os "freebsd" (must be one of: [linux])` with Go's quoting;
# errno texts in Go's words (`no such file or directory`, `permission denied`); `duplicate
# volume name "test"`; `pod must contain at least one application` for a pod manifest without
# apps, before any stage1's own limits.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox
need_fly

KEY=$(build_busybox "$T/img/bb.aci")
rk --insecure-options=image fetch "$T/img/bb.aci"
assert_rc 0 "fetch the busybox image"
# stderr without fetch's progress lines.
errors() { printf '%s\n' "$ERR" | grep -v -e '^image: ' | sed '/^$/d'; }

# --- rkt image rm: `rm:` lines; `image ID too short` --------------------------------------------
rk image rm sha512-a
assert_eq "$(errors)" $'rm: image ID too short\nrm: 1 image(s) cannot be removed' "too short ID"
assert_rc 254 "too short ID (rkt exited 0: docs/cli.md)"
rk image rm "${KEY:0:20}"
assert_rc 0 "rm by ID prefix"
assert_eq "$OUT" "successfully removed aci for image: \"$KEY\"" "removed key on stdout"
assert_eq "$(errors)" "rm: 1 image(s) successfully removed" "rm summary"
rk image rm
assert_rc 254 "rm without arguments"
assert_eq "$(errors)" "rm: must provide at least one image ID" "rm usage"
rk --insecure-options=image fetch "$T/img/bb.aci"

# --- os/arch labels: appc's words, Go's %q and %v ------------------------------------------------
rk --insecure-options=image fetch example.com/x,os=freebsd
assert_rc 254 "fetch for another os"
assert_contains "$(errors)" ': bad os "freebsd" (must be one of: [linux])' "bad os"
rk --insecure-options=image fetch 'example.com/x,arch=z"80'
assert_rc 254 "fetch for another arch"
assert_contains "$(errors)" \
  ': bad arch "z\"80" for linux (must be one of: [amd64 i386 aarch64 aarch64_be armv6l armv7l armv7b ppc64le])' \
  "bad arch, quoted as Go quotes it"
# An image for freebsd is valid appc (it is stored) but rkt cannot run it.
ACI_MANIFEST_PATCH='{"labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"freebsd"},{"name":"arch","value":"amd64"}]}' \
  build_busybox "$T/img/freebsd.aci" example.com/freebsd >/dev/null
rk --insecure-options=image run "$T/img/freebsd.aci"
assert_rc 254 "run an image for freebsd"
assert_contains "$(errors)" ': bad os "freebsd" (must be one of: [linux])' "bad os at run"

# --- errno texts in Go's words ---------------------------------------------------------------------
rk --insecure-options=image fetch "$T/img/missing.aci"
assert_rc 254 "fetch of a missing file"
assert_contains "$(errors)" ": no such file or directory" "ENOENT in Go's words"
assert_not_contains "$ERR" "No such file" "not C's"
if command -v setpriv >/dev/null; then
  mkdir -m 0700 "$T/private"
  OUT=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "$RKT" --dir="$T/private/data" \
    --system-config="$T/sys" --local-config="$T/local" image list 2>"$T/.stderr") && RC=0 || RC=$?
  ERR=$(cat "$T/.stderr")
  assert_rc 254 "a data directory the user cannot reach"
  assert_contains "$ERR" ": permission denied" "EACCES in Go's words"
  assert_not_contains "$ERR" "Permission denied" "not C's"
else
  echo "note: setpriv(1) is missing; the EACCES wording is not checked" >&2
fi
# rkt's C stage1 diagnostic keeps C's text.
rk --insecure-options=image run "$KEY" --exec /no-such-program
assert_rc 254 "missing program"
assert_contains "$ERR" 'Error: Unable to open "/no-such-program": No such file or directory' \
  "stage1 diagnostic in C's words"

# --- duplicate volume names --------------------------------------------------------------------------
rk --insecure-options=image run --volume=test,kind=host,source="$T" --volume=test,kind=empty \
  "$KEY" --exec /bin/true
assert_rc 254 "duplicate --volume names"
assert_eq "$(errors)" 'run: duplicate volume name "test"' "duplicate --volume message"
cat >"$T/dupvol.json" <<JSON
{"acKind":"PodManifest","acVersion":"0.8.11","apps":[{"name":"bb","image":{"id":"$KEY"},
 "app":{"exec":["/bin/true"],"user":"0","group":"0"}}],
 "volumes":[{"name":"test","kind":"empty"},{"name":"test","kind":"empty"}]}
JSON
rk --insecure-options=image run --pod-manifest="$T/dupvol.json"
assert_rc 254 "duplicate volume names in a pod manifest"
assert_contains "$(errors)" 'duplicate volume name "test"' "duplicate volume in a pod manifest"

# --- a pod manifest without apps ---------------------------------------------------------------------
echo '{"acKind":"PodManifest","acVersion":"0.8.11","apps":[]}' >"$T/noapps.json"
rk list --no-legend
BEFORE=$OUT
rk --insecure-options=image run --pod-manifest="$T/noapps.json"
assert_rc 254 "run a pod manifest without apps"
assert_eq "$(errors)" "run: pod must contain at least one application" "no apps message"
rk list --no-legend
assert_eq "$OUT" "$BEFORE" "no pod left behind"
# `rkt prepare` accepts it, as rkt's did.
rk --insecure-options=image prepare --pod-manifest="$T/noapps.json"
assert_rc 0 "prepare a pod manifest without apps"
