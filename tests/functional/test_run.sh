#!/usr/bin/env bash
# `rkt run` with the fly stage1 on real pods: exit codes, --exec and app arguments, environment
# precedence, user/group, supplementary groups, working directory, volumes, DNS files, the
# missing-executable and os/arch errors, grammar and flag errors.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
pin_stage1 fly  # written against fly: the process becomes the app, host namespaces

[ -x /bin/busybox ] || skip "busybox-static is not installed"
PLUGINS="$RKT_BUILD_DIR/lib/rkt/plugins"
[ -f "$PLUGINS/stage1-fly.so" ] || skip "stage1-fly.so is not built"
[ -f "$PLUGINS/store-cas.so" ] || skip "store-cas.so is not built"

DATA="$T/data"
R() { run_rkt --dir="$DATA" --insecure-options=image "$@"; }

"$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/bb.aci" example.com/busybox 1.0.0 >/dev/null ||
  die "cannot build the busybox image"
ACI_MANIFEST_PATCH='{"labels":[{"name":"version","value":"1.0.0"}]}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/noarch.aci" example.com/noarch >/dev/null ||
  die "cannot build the image without os/arch"
R fetch "$T/bb.aci"
assert_rc 0 "fetch the busybox image"
IMG=$(printf '%s' "$OUT" | tail -n1)

# Every pod this test leaves behind is checked (and removed with $T); pods run in their own
# mount namespace, so nothing stays mounted here.
check_no_mounts() {
  if grep -q " $DATA" /proc/self/mountinfo; then fail "$1: mounts left under $DATA"; fi
}

# 1. Exit codes are the app's.
for code in 0 1 42; do
  R run "$IMG" --exec /bin/sh -- -c "exit $code"
  assert_rc "$code" "run propagates exit status $code"
done

# 2. --exec, app arguments, `---`.
R run "$IMG" --exec /bin/echo -- hello from a pod ---
assert_rc 0 "echo app"
assert_eq "$OUT" "hello from a pod" "app arguments reach the app"
R run "$T/bb.aci" --exec /bin/echo -- "two  spaces" "" x
assert_eq "$OUT" "two  spaces  x" "arguments are passed verbatim"

# 3. A missing executable.
R run "$IMG" --exec /foo
assert_rc 254 "missing executable"
assert_contains "$ERR" 'Error: Unable to open "/foo": No such file or directory' "missing executable message"

# 4. Environment precedence: image < --inherit-env < --set-env-file < --set-env < --environment.
printf '# comment\nFILE=file\nSETENV=file\nAPP=file\n' >"$T/env"
INHERITED=host HOME=/host-home R run --inherit-env --set-env-file="$T/env" --set-env=SETENV=set \
  --set-env=APP=set "$IMG" --environment=APP=app --exec /bin/sh -- -c \
  'echo "$INHERITED $FILE $SETENV $APP $HOME $AC_APP_NAME"'
assert_rc 0 "environment"
assert_eq "$OUT" "host file set app /host-home busybox" "environment precedence"
R run "$IMG" --exec /bin/sh -- -c 'echo "${INHERITED:-unset} $PATH"'
assert_eq "$OUT" "unset /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "no inherit by default"
R run --set-env=A=1 --set-env=A=2 "$IMG"
assert_rc 254 "duplicate --set-env"
assert_contains "$ERR" 'key "A" already set' "duplicate --set-env message"

# 5. User and group by name and number, supplementary groups, working directory.
R run "$IMG" --user=user --group=300 --exec /bin/sh -- -c 'echo $(id -u) $(id -g)'
assert_eq "$OUT" "1000 300" "--user by name, --group by number"
R run "$IMG" --user=200 --group=users --exec /bin/sh -- -c 'echo $(id -u) $(id -g)'
assert_eq "$OUT" "200 100" "--user by number, --group by name"
R run "$IMG" --supplementary-gids=10,20 --exec /bin/sh -- -c 'id -G'
assert_eq "$OUT" "0 10 20" "supplementary gids"
R run "$IMG" --working-dir=/etc --exec /bin/pwd
assert_eq "$OUT" "/etc" "working directory"
R run "$IMG" --user=nosuchuser --exec /bin/true
assert_rc 254 "unknown user"
assert_contains "$ERR" 'invalid user "nosuchuser"' "unknown user message"

# 6. Volumes: host rw and ro, empty, recursive.
mkdir -p "$T/host/sub" "$T/host-ro"
echo data >"$T/host-ro/file"
R run --volume=rw,kind=host,source="$T/host" --volume=ro,kind=host,source="$T/host-ro",readOnly=true \
  --volume=e,kind=empty,mode=0700 "$IMG" --mount=volume=rw,target=/rw --mount=volume=ro,target=/ro \
  --mount=volume=e,target=/e --exec /bin/sh -- -c \
  'echo hi >/rw/out && cat /ro/file && ! (echo x >/ro/new) 2>/dev/null && stat -c %a /e'
assert_rc 0 "volumes"
assert_eq "$OUT" "$(printf 'data\n700')" "ro volume readable, not writable; empty volume mode"
assert_eq "$(cat "$T/host/out" 2>/dev/null)" "hi" "rw host volume written through"
mount -t tmpfs none "$T/host/sub"
echo inner >"$T/host/sub/f"
R run --volume=nr,kind=host,source="$T/host" --volume=r,kind=host,source="$T/host",recursive=true \
  "$IMG" --mount=volume=nr,target=/nr --mount=volume=r,target=/r --exec /bin/sh -- -c \
  'cat /r/sub/f; cat /nr/sub/f 2>/dev/null || echo absent'
assert_eq "$OUT" "$(printf 'inner\nabsent')" "recursive=true binds submounts, default does not"
umount "$T/host/sub"
R run --mount=volume=nope,target=/x "$IMG"
assert_rc 254 "dangling mount"
assert_contains "$ERR" 'dangling mount point "/x": volume "nope" not found' "dangling mount message"

# 7. --no-overlay copies the tree; the pod directory has rkt's files.
R run --no-overlay --uuid-file-save="$T/uuid" "$IMG" --exec /bin/sh -- -c 'echo x >/written'
assert_rc 0 "--no-overlay"
uuid=$(cat "$T/uuid")
POD="$DATA/pods/run/$uuid"
for f in pod pod.lck pod-created appsinfo/busybox/manifest appsinfo/busybox/id \
  stage1/rootfs/opt/stage2/busybox/rootfs/written; do
  assert_file "$POD/$f" "pod file $f"
done
assert_eq "$(readlink "$POD/flavor")" "fly" "flavor link"
assert_no_file "$POD/overlay-prepared" "no overlay marker with --no-overlay"
# The copy keeps what the tree has: type, mode, owner, size and modification time of every
# file, symlink and link target (directories: the running pod adds to some of them).
COPY=$POD/stage1/rootfs/opt/stage2/busybox/rootfs
TREE=$(dirname "$(ls -d "$DATA"/cas/tree/*/rootfs/bin/busybox | head -n1)")/..
attrs() { (cd "$1" && find . ! -type d -printf '%p %y %m %u %g %s %T@ %l\n' | sort); }
assert_contains "$(attrs "$TREE")" "./bin/busybox f 755" "the tree's listing"
assert_eq "$(comm -23 <(attrs "$TREE") <(attrs "$COPY"))" "" \
  "--no-overlay copy has every entry of the tree with its attributes"
R run --uuid-file-save="$T/uuid2" "$IMG" --exec /bin/sh -- -c 'echo y >/written'
POD2="$DATA/pods/run/$(cat "$T/uuid2")"
assert_file "$POD2/overlay-prepared" "overlay marker"
assert_file "$POD2/appsinfo/busybox/treeStoreID" "tree store ID"
tree=$(cat "$POD2/appsinfo/busybox/treeStoreID")
assert_eq "$(cat "$POD2/overlay/$tree/upper/busybox/written" 2>/dev/null)" "y" "writes land in the overlay upper dir"
mode=$(stat -c %a "$POD2/pod")
assert_eq "$mode" "640" "pod manifest mode"
check_no_mounts "after runs"

# 8. DNS and hosts files.
R run --dns=192.0.2.1 --dns-search=example.com --dns-opt=ndots:3 --dns-domain=example.com \
  --hosts-entry=192.0.2.7=seven "$IMG" --exec /bin/sh -- -c 'cat /etc/resolv.conf; grep seven /etc/hosts'
assert_rc 0 "dns flags"
assert_contains "$OUT" "nameserver 192.0.2.1" "resolv.conf nameserver"
assert_contains "$OUT" "search example.com" "resolv.conf search"
assert_contains "$OUT" "options ndots:3" "resolv.conf options"
assert_contains "$OUT" "192.0.2.7 seven" "hosts entry"
R run --dns=host --dns-search=x "$IMG"
assert_rc 254 "--dns=host with --dns-search"

# 9. Images without os/arch labels are refused.
R run "$T/noarch.aci" --exec /bin/true
assert_rc 254 "image without os/arch"
assert_contains "$ERR" "missing os label in the image manifest" "os/arch message"

# 10. Grammar and flag errors.
R run
assert_rc 254 "no image"
assert_contains "$ERR" "must provide at least one image or specify the pod manifest" "no image message"
R run --exec=/bin/sh "$IMG"
assert_contains "$ERR" "--exec must follow an image" "per-app flag before the image"
R run -- x
assert_contains "$ERR" "an image is required before any app arguments" "args without image"
R run "$IMG" -- a --- -- b
assert_contains "$ERR" "only one set of app arguments allowed per image" "two sets of args"
R run "$IMG" --bogus
assert_rc 254 "unknown flag"
assert_contains "$ERR" "unknown flag: --bogus" "unknown flag message"
R run --pod-manifest="$T/pm.json" "$IMG"
assert_contains "$ERR" "conflicting flags set with --pod-manifest" "--pod-manifest conflict"
R run --port=web:8080 "$IMG" --exec /bin/true
assert_rc 254 "--port naming no app port"
assert_contains "$ERR" 'port name "web" could not be found in any apps' "--port message"
R run "$IMG" "$IMG"
assert_rc 254 "two apps on fly"
assert_contains "$ERR" "only supports 1 application per Pod" "fly app limit"
R run --stage1-name=coreos.com/rkt/stage1-nosuch "$IMG"
assert_rc 254 "missing stage1 flavor"
assert_contains "$ERR" "stage1 flavor \`nosuch\` is not installed (installed: " "missing flavor message"
R run --stage1-name=coreos.com/rkt/stage1-fly:1.30.0 "$IMG" --exec /bin/true
assert_rc 0 "--stage1-name selects fly"
R run --stage1-name=x --stage1-path=y "$IMG"
assert_rc 254 "two stage1 flags"
assert_contains "$ERR" "are mutually exclusive" "stage1 flags exclusive"

# Global flags are accepted among the images too (as rkt's persistent flags).
run_rkt run "$IMG" --dir="$DATA" --debug --exec /bin/echo -- global flags after the image
assert_rc 0 "global flags after the image"
assert_eq "$OUT" "global flags after the image" "--dir after the image selects the data directory"

# 11. --pod-manifest runs a user manifest verbatim.
cat >"$T/pm.json" <<JSON
{"acKind":"PodManifest","acVersion":"0.8.11","apps":[{"name":"custom","image":{"id":"$IMG"},
 "app":{"exec":["/bin/echo","from","manifest"],"user":"0","group":"0"}}]}
JSON
R run --pod-manifest="$T/pm.json" --uuid-file-save="$T/uuid3"
assert_rc 0 "--pod-manifest"
assert_eq "$OUT" "from manifest" "--pod-manifest app runs"
cmp -s "$T/pm.json" "$DATA/pods/run/$(cat "$T/uuid3")/pod" || fail "--pod-manifest bytes kept verbatim"

# 11b. What fly cannot honour is warned about, not silently ignored.
R run --hostname=elsewhere --net=mynet --ipc=private "$IMG" --memory=100M --exec /bin/true
assert_rc 0 "ignored options still run"
assert_contains "$ERR" "fly: warning: --hostname is ignored by stage1 \`fly\`" "--hostname warning"
assert_contains "$ERR" "fly: warning: --net=mynet is ignored by stage1 \`fly\`" "--net warning"
assert_contains "$ERR" "fly: warning: --ipc=private is ignored by stage1 \`fly\`" "--ipc warning"
assert_contains "$ERR" "isolator \`resource/memory\` is not applied by stage1 \`fly\`" "--memory warning"
R run "$IMG" --exec /bin/true
assert_not_contains "$ERR" "warning" "no warning without such options"

# 12. Non-root.
if command -v setpriv >/dev/null; then
  OUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$RKT" run "$IMG" 2>&1) && RC=0 || RC=$?
  assert_rc 254 "unprivileged run"
  assert_contains "$OUT" "cannot run as unprivileged user" "unprivileged message"
fi
check_no_mounts "at the end"

# rkt gc removes every pod these runs left (exited ones and, with --expire-prepared=0s, prepared
# ones), leaving no mount and no pod directory.
R gc --grace-period=0s --expire-prepared=0s
assert_rc 0 "gc"
left=$(find "$DATA/pods" -mindepth 2 -maxdepth 2 | head -5)
assert_eq "$left" "" "no pod directory after gc"
if grep -q " $DATA" /proc/self/mountinfo; then fail "mounts left under $DATA after gc"; fi
