#!/usr/bin/env bash
# Side-by-side: ADD + DEL of one ptp network (host-local IPAM), RUNS times, by
#   in-process  net-ptp.so + ipam-host-local.so through the core's CniRunner, plugins loaded once
#               (rkt-cni-loop: what `rkt run` and `rkt gc` do per network)
#   reference   exec of /usr/lib/cni/ptp (which execs /usr/lib/cni/host-local, and iptables for
#               ipMasq), the CNI exec protocol as rkt v1.30 ran its plugins
#   rkt-cni     exec of our plugins as a CNI binary (a link `ptp` → rkt-cni), for reference
#   kernel      the floor: the kernel's own cost of one veth pair created across namespaces,
#               brought up and deleted (four `ip` processes; deleting a netdev waits for RCU)
# on the same configuration: rkt's default network (ptp, ipMasq, host-local /24, default route),
# and the same without ipMasq. Runs in a private mount and network namespace (unshare -m -n):
# the host's network and /var/lib/cni are never touched.
# Environment: RKT (the rkt binary; rkt-cni and rkt-cni-loop sit next to it), RUNS (20).
set -euo pipefail

BIN=$(cd "$(dirname "${RKT:-build/bin/rkt}")" && pwd)
RUNS=${RUNS:-20}
REF=/usr/lib/cni
for b in "$BIN/rkt-cni" "$BIN/rkt-cni-loop"; do
  [ -x "$b" ] || { echo "cni-ptp.sh: $b not built (cmake --build build --target rkt-cni rkt-cni-loop)" >&2; exit 1; }
done
[ -x $REF/ptp ] || { echo "cni-ptp.sh: no $REF/ptp (apt-get install containernetworking-plugins)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "cni-ptp.sh: needs root (namespaces)" >&2; exit 1; }
if [ -z "${RKT_CNI_BENCH_IN_NS:-}" ]; then
  RKT_CNI_BENCH_IN_NS=1 RUNS=$RUNS RKT="$BIN/rkt" exec unshare -m -n --propagation private bash "$0" "$@"
fi

mount -t tmpfs rkt-bench /var/lib/cni
mkdir -p /var/run/netns && mount -t tmpfs rkt-bench /var/run/netns
ip link set lo up
ip netns add ctr
LINKS=$(mktemp -d)
trap 'rm -rf "$LINKS"' EXIT
ln -s "$BIN/rkt-cni" "$LINKS/ptp"
ln -s "$BIN/rkt-cni" "$LINKS/host-local"

now() { date +%s%N; }
# exec_loop DIR CONF: RUNS × (ADD, DEL) of DIR/ptp with CNI_PATH=DIR; prints the milliseconds
# spent in ADD and in DEL.
exec_loop() {
  local dir=$1 conf=$2 i cmd t add=0 del=0
  for ((i = 0; i < RUNS; i++)); do
    for cmd in ADD DEL; do
      t=$(now)
      CNI_COMMAND=$cmd CNI_CONTAINERID=bench1 CNI_NETNS=/var/run/netns/ctr CNI_IFNAME=eth0 \
        CNI_PATH=$dir RKT_CNI_STATE_DIR=/var/lib/cni/rkt-state "$dir/ptp" <<<"$conf" >/dev/null ||
        { echo "cni-ptp.sh: $cmd through $dir/ptp failed" >&2; exit 1; }
      t=$(( $(now) - t ))
      if [ $cmd = ADD ]; then add=$((add + t)); else del=$((del + t)); fi
    done
  done
  echo "$((add / 1000)) $((del / 1000))" | awk '{printf "%.1f %.1f\n", $1 / 1000, $2 / 1000}'
}

start=$(now)
for ((i = 0; i < RUNS; i++)); do
  ip link add name rktbench0 type veth peer name rktbench1 netns ctr
  ip link set rktbench0 up
  ip -n ctr link set rktbench1 up
  ip link del rktbench0
done
floor=$(( ($(now) - start) / 1000000 ))
per() { echo "$1 / $RUNS" | bc -l; }
printf 'per operation, mean of %d      %10s %10s %10s   %s\n' "$RUNS" in-process reference rkt-cni "in-process/reference"
for masq in true false; do
  conf='{"cniVersion":"1.0.0","name":"bench","type":"ptp","ipMasq":'$masq',"ipam":{"type":"host-local","subnet":"10.99.0.0/24","routes":[{"dst":"0.0.0.0/0"}]}}'
  CONF=$(mktemp) && echo "$conf" >"$CONF"
  read -r in_add in_del < <(RKT_PLUGIN_PATH= "$BIN/rkt-cni-loop" "$CONF" /var/run/netns/ctr "$RUNS")
  rm -f "$CONF"
  read -r ref_add ref_del < <(exec_loop $REF "$conf")
  read -r our_add our_del < <(exec_loop "$LINKS" "$conf")
  for op in ADD DEL ADD+DEL; do
    case $op in
      ADD) a=$in_add b=$ref_add c=$our_add ;;
      DEL) a=$in_del b=$ref_del c=$our_del ;;
      *) a=$(echo "$in_add + $in_del" | bc -l) b=$(echo "$ref_add + $ref_del" | bc -l)
         c=$(echo "$our_add + $our_del" | bc -l) ;;
    esac
    printf '%-30s %7.2f ms %7.2f ms %7.2f ms   %.3f×\n' "ptp ipMasq=$masq $op" "$(per "$a")" \
      "$(per "$b")" "$(per "$c")" "$(echo "$a / $b" | bc -l)"
  done
done
printf '%-30s %29.2f ms\n' "kernel: veth add, up ×2, del" "$(per "$floor")"
echo "(goal: in-process ADD+DEL ≤ 0.1× the reference; deleting a veth costs the kernel ~10–20 ms of RCU grace periods whoever asks)"
