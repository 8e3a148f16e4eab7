#!/usr/bin/env bash
# Side-by-side: one pod's netfilter rules added and removed, RUNS times, by
#   library   rkt_support_netfilter (libnftables, one transaction per call; rkt-netfilter-tool
#             bench: addMasquerade + addPortForwarding + removeAllForContainer)
#   iptables  the same rules as rkt v1.30 and the reference ptp plugin wrote them: one `iptables`
#             process per rule or chain (19 to add, 12 to remove)
#   restore   the same through one `iptables-restore --noflush` per add and per remove (a floor
#             for anything still driving the iptables binaries)
# The pod: ipMasq for 172.16.28.2/24 on `default`, ports tcp 8080→80 and udp 5353→53.
# Runs in a private network namespace (unshare -n): the host's rules are never touched.
# Environment: RKT (the rkt binary; the driver sits next to it) or RKT_NETFILTER_TOOL, RUNS (50).
set -euo pipefail

TOOL=${RKT_NETFILTER_TOOL:-$(dirname "${RKT:-build/bin/rkt}")/rkt-netfilter-tool}
RUNS=${RUNS:-50}
[ -x "$TOOL" ] || { echo "netfilter.sh: $TOOL not built" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "netfilter.sh: needs root (unshare -n)" >&2; exit 1; }
if [ -z "${RKT_NETFILTER_BENCH_IN_NS:-}" ]; then
  RKT_NETFILTER_BENCH_IN_NS=1 RKT_NETFILTER_TOOL=$TOOL RUNS=$RUNS exec unshare -n bash "$0" "$@"
fi

M=CNI-5b6e760d914c31450730a33f D=RKT-PFWD-DNAT-0123abcd S=RKT-PFWD-SNAT-0123abcd
C='name: "default" id: "0123abcd-0000-4000-8000-000000000001"'
ipt() { iptables -w -t nat "$@"; }
iptables_add() {
  ipt -N $M
  ipt -A $M -d 172.16.28.0/24 -m comment --comment "$C" -j ACCEPT
  ipt -A $M ! -d 224.0.0.0/4 -m comment --comment "$C" -j MASQUERADE
  ipt -A POSTROUTING -s 172.16.28.2 -m comment --comment "$C" -j $M
  ipt -N $D
  ipt -N $S
  ipt -I PREROUTING 1 -m addrtype --dst-type LOCAL -j $D
  ipt -I OUTPUT 1 -m addrtype --dst-type LOCAL -j $D
  ipt -I POSTROUTING 1 -s 127.0.0.1 ! -d 127.0.0.1 -j $S
  ipt -I POSTROUTING 1 -s 172.16.28.2 -d 172.16.28.2 -j $S
  local p
  for p in "tcp 8080 80" "udp 5353 53"; do
    set -- $p
    ipt -A $D -p $1 --dport $2 -j DNAT --to-destination 172.16.28.2:$3
    ipt -A $S -p $1 -s 127.0.0.1 -d 172.16.28.2 --dport $3 -j MASQUERADE
    ipt -A $S -p $1 -s 172.16.28.2 -d 172.16.28.2 --dport $3 -j MASQUERADE
  done
}
iptables_remove() {
  ipt -D POSTROUTING -s 172.16.28.2 -m comment --comment "$C" -j $M
  ipt -F $M
  ipt -X $M
  ipt -D PREROUTING -m addrtype --dst-type LOCAL -j $D
  ipt -D OUTPUT -m addrtype --dst-type LOCAL -j $D
  ipt -D POSTROUTING -s 127.0.0.1 ! -d 127.0.0.1 -j $S
  ipt -D POSTROUTING -s 172.16.28.2 -d 172.16.28.2 -j $S
  ipt -F $D
  ipt -F $S
  ipt -X $D
  ipt -X $S
}
# The same rules as iptables-restore input: `iptables_add` with each `ipt` line turned into text.
restore_text() {
  ipt() { # iptables-restore's quoting: "…" with \" inside
    local a line=
    for a in "$@"; do
      case $a in *[\ \"]*) a=\"${a//\"/\\\"}\" ;; esac
      line+="$a "
    done
    echo "$line"
  }
  echo '*nat'
  "$1"
  echo COMMIT
  unset -f ipt
  ipt() { iptables -w -t nat "$@"; }
}
restore_add=$(restore_text iptables_add)
restore_remove=$(restore_text iptables_remove)

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

t0=$(now)
"$TOOL" bench "$RUNS" >/dev/null
t1=$(now)
for ((i = 0; i < RUNS; i++)); do iptables_add; iptables_remove; done
t2=$(now)
for ((i = 0; i < RUNS; i++)); do
  iptables-restore -w --noflush <<<"$restore_add"
  iptables-restore -w --noflush <<<"$restore_remove"
done
t3=$(now)
[ -z "$(nft list ruleset | grep -v '^table ip nat\|^\s*chain\|^\s*type\|^\s*}\|^}' || true)" ] ||
  { echo "netfilter.sh: rules left behind" >&2; nft list ruleset >&2; exit 1; }

lib=$(elapsed "$t0" "$t1") ipt=$(elapsed "$t1" "$t2") rst=$(elapsed "$t2" "$t3")
per() { printf '%.2f ms' "$(echo "$1 * 1000 / $RUNS" | bc -l)"; }
echo "one pod's rules (ipMasq + 2 ports) added and removed, $RUNS runs, per run:"
echo "  library (libnftables)      $(per "$lib")"
echo "  iptables, one per rule     $(per "$ipt")   ratio library/iptables = $(printf '%.3f' "$(echo "$lib / $ipt" | bc -l)")"
echo "  iptables-restore, batched  $(per "$rst")   ratio library/restore  = $(printf '%.3f' "$(echo "$lib / $rst" | bc -l)")"
