#!/usr/bin/env bash
# `rkt run` with the nspawn stage1 on real pods: the supervisor is PID 1 and the apps its
# children; two- and three-app pods with rkt's exit rule (0, 5, 6 -> 5) and per-app statuses in
# `rkt status` (text, JSON) and `rkt list`; user, group, supplementary gids, environment,
# working directory, volumes, hostname, /etc/machine-id, --net and --ipc.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"

# 1. One app: its exit status is rkt run's; PID 1 is the supervisor, the app its child.
R run $NSPAWN --uuid-file-save="$T/u1" "$IMG" --exec /bin/sh -- -c 'exit 42'
assert_rc 42 "exit status of a one-app pod"
# rkt run waits for systemd-nspawn and removes the pod's cgroups (every hierarchy): not left
# for gc.
assert_eq "$(pod_cgroups "$(cat "$T/u1")")" "" "no cgroup of the pod once rkt run returned"
R run $NSPAWN "$IMG" --exec /bin/sh -- -c \
  'echo "$(tr "\0" " " </proc/1/cmdline)|$(grep PPid /proc/$$/status | tr -d "\t ")|$$"'
assert_rc 0 "pid 1 check"
assert_eq "$OUT" "/rkt/supervisor |PPid:1|2" "PID 1 is the supervisor, the app its first child"

# 2. Three apps exiting 0, 5 and 6: rkt run exits 5 (the first failure); the third app, stopped
#    because the second failed, exits 6 from its SIGTERM trap. The host drives the order.
mkdir -p "$T/sync"
rkt_bg run $NSPAWN --uuid-file-save="$T/u3" --volume=sync,kind=host,source="$T/sync" \
  "$IMG" --name=zero --exec /bin/sh -- -c 'exit 0' --- \
  "$IMG" --name=five --mount=volume=sync,target=/s --exec /bin/sh -- -c \
  'while [ ! -e /s/go ]; do sleep 0.05; done; exit 5' --- \
  "$IMG" --name=six --mount=volume=sync,target=/s --exec /bin/sh -- -c \
  'trap "exit 6" TERM; touch /s/six-ready; while :; do sleep 0.05; done' --- \
  >"$T/out3" 2>"$T/err3" &
RUN=$!
wait_until "the pod's uuid file" test -s "$T/u3"
U3=$(cat "$T/u3")
wait_until "app zero exited" pod_has "$U3" stage1/rootfs/rkt/status/zero
wait_until "app six ready" test -e "$T/sync/six-ready"
touch "$T/sync/go"
wait "$RUN" && RC=0 || RC=$?
OUT=$(cat "$T/out3") ERR=$(cat "$T/err3")
assert_rc 5 "apps exiting 0, 5, 6"
R status "$U3"
assert_rc 0 "status of the three-app pod"
assert_contains "$OUT" "app-zero=0" "status: app zero"
assert_contains "$OUT" "app-five=5" "status: app five"
assert_contains "$OUT" "app-six=6" "status: app six"
R status --format=json "$U3"
assert_json "$OUT" "status json"
codes=$(printf '%s' "$OUT" | python3 -c 'import json,sys
d=json.load(sys.stdin)
print(" ".join("%s:%s:%s" % (a["name"], a["state"], a.get("exit_code")) for a in d["apps"]))')
assert_eq "$codes" "zero:exited:0 five:exited:5 six:exited:6" "per-app states and exit codes"
R list --no-legend
assert_rc 0 "list"
assert_contains "$OUT" "zero" "list shows app zero"
assert_contains "$OUT" "five" "list shows app five"
assert_contains "$OUT" "six" "list shows app six"

# 3. Two apps that both succeed: exit 0, both statuses 0.
R run $NSPAWN --uuid-file-save="$T/u2" "$IMG" --name=one --exec /bin/true --- \
  "$IMG" --name=two --exec /bin/sh -- -c 'echo two' ---
assert_rc 0 "two successful apps"
assert_contains "$OUT" "two" "app output reaches rkt run's stdout"
R status "$(cat "$T/u2")"
assert_contains "$OUT" "app-one=0" "status: app one"
assert_contains "$OUT" "app-two=0" "status: app two"

# 4. User, group, supplementary gids, environment, working directory.
R run $NSPAWN "$IMG" --user=user --group=300 --supplementary-gids=10,20 --exec /bin/sh -- -c \
  'echo $(id -u) $(id -g) $(id -G)'
assert_eq "$OUT" "1000 300 300 10 20" "user, group and supplementary gids"
R run $NSPAWN --set-env=FOO=bar "$IMG" --environment=APP=app --working-dir=/etc --exec /bin/sh -- -c \
  'echo "$FOO $APP $AC_APP_NAME $(pwd) $PATH"'
assert_eq "$OUT" "bar app busybox /etc /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  "environment and working directory"
R run $NSPAWN "$IMG" --user=nosuchuser --exec /bin/true
assert_rc 254 "unknown user"
assert_contains "$ERR" 'invalid user "nosuchuser"' "unknown user message"

# 5. Volumes: host rw and read-only, empty; recursive binds carry submounts, non-recursive not.
mkdir -p "$T/host/sub" "$T/ro"
echo data >"$T/ro/file"
mount -t tmpfs tmpfs "$T/host/sub" && on_exit "umount -l '$T/host/sub'"
echo inner >"$T/host/sub/inner"
R run $NSPAWN --volume=rw,kind=host,source="$T/host" --volume=ro,kind=host,source="$T/ro",readOnly=true \
  --volume=e,kind=empty,mode=0700 --volume=flat,kind=host,source="$T/host",recursive=false "$IMG" \
  --mount=volume=rw,target=/rw --mount=volume=ro,target=/ro --mount=volume=e,target=/e \
  --mount=volume=flat,target=/flat --exec /bin/sh -- -c \
  'echo w >/rw/written; cat /ro/file; echo x >/ro/x 2>/dev/null || echo ro-refused;
   stat -c %a /e; cat /rw/sub/inner; [ -e /flat/sub/inner ] || echo flat-empty'
assert_rc 0 "volumes"
assert_eq "$OUT" "data
ro-refused
700
inner
flat-empty" "volume contents, read-only, empty mode, recursive and not"
assert_eq "$(cat "$T/host/written")" "w" "write through a host volume"

# 6. Hostname (default rkt-<uuid>, --hostname), /etc/hostname, /etc/machine-id.
R run $NSPAWN --uuid-file-save="$T/uh" "$IMG" --exec /bin/sh -- -c \
  'echo "$(hostname) $(cat /etc/hostname) $(cat /etc/machine-id)"'
UH=$(cat "$T/uh")
assert_eq "$OUT" "rkt-$UH rkt-$UH ${UH//-/}" "default hostname and machine-id"
R run $NSPAWN --hostname=custom "$IMG" --exec /bin/hostname
assert_eq "$OUT" "custom" "--hostname"

# 7. Networks: default = private with only lo (and a warning), none the same silently, host the
#    host's; unknown networks are refused.
host_links=$(ip -o link | wc -l)
R run $NSPAWN "$IMG" --exec /bin/sh -- -c 'ip -o link | cut -d: -f2 | tr -d " \n"'
assert_eq "$OUT" "lo" "--net=default: only lo"
assert_contains "$ERR" "networking is not implemented yet" "--net=default warns"
R run $NSPAWN --net=none "$IMG" --exec /bin/sh -- -c 'ip -o link | cut -d: -f2 | tr -d " \n"'
assert_eq "$OUT" "lo" "--net=none: only lo"
R run $NSPAWN --net=host "$IMG" --exec /bin/sh -- -c 'ip -o link | wc -l'
assert_eq "$OUT" "$host_links" "--net=host: the host's links"
R run $NSPAWN --net=mynet "$IMG" --exec /bin/true
assert_rc 254 "unknown network"
assert_contains "$ERR" "does not support network \`mynet\`" "unknown network message"

# 7b. The resource isolators are applied (test_isolators_resources.sh): no "not applied" warning.
R run $NSPAWN --net=host "$IMG" --memory=100M --exec /bin/true
assert_rc 0 "--memory"
assert_not_contains "$ERR" "is not applied" "no warning for --memory"

# 8. IPC: private by default, the host's with --ipc=parent.
host_ipc=$(readlink /proc/self/ns/ipc)
R run $NSPAWN "$IMG" --exec /bin/readlink -- /proc/self/ns/ipc
assert_rc 0 "ipc default"
[ "$OUT" != "$host_ipc" ] || fail "--ipc default: the pod shares the host's IPC namespace"
R run $NSPAWN --ipc=parent "$IMG" --exec /bin/readlink -- /proc/self/ns/ipc
assert_eq "$OUT" "$host_ipc" "--ipc=parent"

# 9. Event handlers: pre-start before the app, post-stop after it, as root in the app's rootfs;
#    a failing pre-start is the app's failure (the app does not run).
ACI_MANIFEST_PATCH='{"app":{"eventHandlers":[
  {"name":"pre-start","exec":["/bin/sh","-c","echo pre $(id -u) >>/s/log; chmod 666 /s/log; exit ${PRE:-0}"]},
  {"name":"post-stop","exec":["/bin/sh","-c","echo post >>/s/log"]}]}}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/hooks.aci" example.com/hooks 1.0.0 >/dev/null ||
  die "cannot build the image with event handlers"
mkdir -p "$T/hooks" && chmod 0777 "$T/hooks"
R run $NSPAWN --volume=s,kind=host,source="$T/hooks" "$T/hooks.aci" --user=user --mount=volume=s,target=/s \
  --exec /bin/sh -- -c 'echo app $(id -u) >>/s/log'
assert_rc 0 "app with handlers"
assert_eq "$(cat "$T/hooks/log")" "pre 0
app 1000
post" "pre-start, app, post-stop in order"
rm "$T/hooks/log"
R run $NSPAWN --volume=s,kind=host,source="$T/hooks" "$T/hooks.aci" --set-env=PRE=4 \
  --mount=volume=s,target=/s --exec /bin/sh -- -c 'echo app >>/s/log'
assert_rc 4 "a failing pre-start handler"
assert_eq "$(cat "$T/hooks/log")" "pre 0" "the app does not run after a failing pre-start"
assert_contains "$ERR" "pre-start handler of app \`hooks\` failed with status 4" "pre-start failure message"

# 10. --interactive: the app gets the terminal (script(1) gives rkt one); without it, no tty.
if command -v script >/dev/null; then
  OUT=$(script -qec "$RKT --dir=$DATA --insecure-options=image run --interactive $NSPAWN $IMG \
    --exec /bin/sh -- -c '[ -t 0 ] && [ -t 1 ] && echo interactive-tty; exit 3'" /dev/null </dev/null) &&
    RC=0 || RC=$?
  assert_rc 3 "interactive pod's exit status"
  assert_contains "$OUT" "interactive-tty" "--interactive: stdin and stdout are a terminal"
  R run --interactive $NSPAWN "$IMG" --exec /bin/true --- "$IMG" --name=two --exec /bin/true ---
  assert_rc 254 "--interactive with two apps"
  assert_contains "$ERR" "interactive option only supports one image" "--interactive with two apps"
else
  echo "script(1) is missing: --interactive not tested" >&2
fi
R run $NSPAWN "$IMG" --exec /bin/sh -- -c '[ -t 0 ] || echo no-tty' </dev/null
assert_eq "$OUT" "no-tty" "non-interactive apps have no terminal"

# Nothing of the pods stays behind after gc.
R gc --grace-period=0s
assert_rc 0 "gc"
for u in "$U3" "$(cat "$T/u2")" "$UH"; do no_leftovers "$u" "after gc"; done
