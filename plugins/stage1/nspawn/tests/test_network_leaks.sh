#!/usr/bin/env bash
# Nothing of a pod's network outlives it (issue 15, "Leak test"): over many cycles, `rkt run`
# of a pod on two networks (default, with ipMasq and a forwarded port, and a second ptp one) is
# killed with SIGKILL at a random moment — rkt itself, the pod's processes (nspawn and what runs
# in the container), or both — at or after a random milestone of its start (nothing yet, the
# netns path written, networks recorded, the pod serving). Then `rkt gc` must leave no veth,
# address, route, nftables table, netns (file or mount) or host-local lease, in the test's own
# network and mount namespaces. RKT_LEAK_CYCLES (default 24) sets the number of cycles.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/network_lib.sh"
need_nftables
command -v ps >/dev/null || skip "ps(1) is missing (procps)"
web_image '[{"name":"http","protocol":"tcp","port":80}]'
cat >"$LOCAL/net.d/10-second.conf" <<'CONF'
{"cniVersion":"1.0.0","name":"second","type":"ptp","ipam":{"type":"host-local","subnet":"10.77.0.0/24"}}
CONF

# descendants PID: the PIDs of PID's descendants (children first).
descendants() {
  local k
  for k in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$k"
    descendants "$k"
  done
}
# alive PID: PID runs (a zombie, an unreaped rkt, does not).
alive() {
  local s
  s=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${s:0:1}" != Z ]
}
# settle CMD...: polls CMD until it holds, `rkt run` ended or 20 s passed (a milestone the run
# may never reach: it may fail or end first, which is as good a moment as any).
settle() {
  local i
  for ((i = 0; i < 400; i++)); do
    "$@" && return 0
    alive "$RUN" || return 0
    sleep 0.05
  done
}
pod_file() { [ -s "$T/uuid" ] && pod_has "$(cat "$T/uuid")" "$1"; }
serving() { [ -s "$T/uuid" ] && [ -n "$(pod_processes "$(cat "$T/uuid")")" ] && pod_file net-info.json; }

CYCLES=${RKT_LEAK_CYCLES:-24}
summary=""
for ((c = 1; c <= CYCLES; c++)); do
  rm -f "$T/uuid"
  rkt_bg run $NSPAWN --local-config="$LOCAL" --net=default,second --uuid-file-save="$T/uuid" \
    --port=http:$((8000 + c)) "$WEB" --exec /bin/sh -- -c 'exec busybox httpd -f -p 80' \
    >/dev/null 2>&1 &
  RUN=$!
  disown "$RUN"  # reaped by bash without a "Killed" line; alive() tells when it ended
  milestone=$((RANDOM % 4))
  case $milestone in
    1) settle pod_file netns ;;
    2) settle pod_file net-info.json ;;
    3) settle serving ;;
  esac
  sleep "0.$(printf '%03d' $((RANDOM % 400)))"
  victims=$((RANDOM % 3))  # 0: rkt, 1: the pod's processes, 2: both
  pids=$(descendants "$RUN")
  case $victims in
    0) kill -KILL "$RUN" 2>/dev/null ;;
    1) [ -n "$pids" ] && kill -KILL $pids 2>/dev/null ;;
    2) [ -n "$pids" ] && kill -KILL $pids 2>/dev/null; kill -KILL "$RUN" 2>/dev/null ;;
  esac
  # rkt ends when its pod does; a run the pod's kill missed (not started yet) is killed too.
  for ((i = 0; i < 200; i++)); do alive "$RUN" || break; sleep 0.05; done
  alive "$RUN" && kill -KILL "$RUN" 2>/dev/null
  # Whatever the kill left running dies with rkt (nspawn's parent-death signal); bounded.
  for p in $pids; do
    for ((i = 0; i < 200; i++)); do alive "$p" || break; sleep 0.05; done
    alive "$p" && fail "cycle $c: process $p of the pod outlived rkt run"
  done
  summary+="$milestone$victims "
done
echo "cycles (milestone, victims): $summary"

R gc --grace-period=0s
R gc --grace-period=0s
left=$(cd "$DATA/pods" && ls -d */*-* 2>/dev/null)
assert_eq "$left" "" "gc removed every pod"
no_network_left "after gc" '172\.16\.28\.|10\.77\.0\.'
