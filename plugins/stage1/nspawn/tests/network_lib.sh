# Shared by the nspawn flavor's network tests (test_network*.sh), on top of nspawn_lib.sh (and
# private_mounts' network namespace, lease store and /var/run/netns of the test's own): the ptp
# and host-local plugins, lookups of leases and netns files, an image whose app declares ports,
# the pod's address, and the check that nothing of the pods' networks is left. Source after
# lib.sh and private_mounts.

. "$(dirname "${BASH_SOURCE[0]}")/nspawn_lib.sh"
for p in net-ptp ipam-host-local; do
  [ -f "$PLUGINS/$p.so" ] || skip "$p.so is not built"
done

# The test's local configuration directory (its networks in net.d), and rkt run with it.
LOCAL="$T/local"
mkdir -p "$LOCAL/net.d"
RN() { R --local-config="$LOCAL" "$@"; }

leases() { find /var/lib/cni/networks -type f -name '[0-9]*' 2>/dev/null | sort; }
netns_files() { ls /var/run/netns 2>/dev/null; }

# pod_started UUID_FILE: waits for a pod started with --uuid-file-save=UUID_FILE to record its
# networks; sets POD_UUID and POD_IP0 (its address on its first network, net-info.json).
pod_started() {
  wait_until "the pod's uuid file" test -s "$1"
  POD_UUID=$(cat "$1")
  wait_until "the pod's net-info.json" pod_has "$POD_UUID" net-info.json
  POD_IP0=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["ip"])' \
    "$(pod_dir "$POD_UUID")/net-info.json")
}

# need_nftables: skips without nft(8) (the rules are checked with it) or kernel nf_tables.
need_nftables() {
  [ -f "$RKT_BUILD_DIR/lib/rkt/rkt-netfilter.so" ] || skip "rkt-netfilter.so is not built"
  command -v nft >/dev/null || skip "nft(8) is missing (package nftables): rules are checked with it"
  nft list ruleset >/dev/null 2>&1 || skip "this kernel has no nf_tables"
}

# web_image PORTS: fetches a busybox image (example.com/web) whose app declares PORTS (a JSON
# array of appc ports); its ID in WEB.
web_image() {
  ACI_MANIFEST_PATCH="{\"app\":{\"ports\":$1}}" \
    "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/web.aci" example.com/web 1.0.0 \
    >/dev/null || die "cannot build the web image"
  R fetch "$T/web.aci"
  [ "$RC" -eq 0 ] || die "cannot fetch the web image: $ERR"
  WEB=$(printf '%s' "$OUT" | tail -n1)
}

# no_network_left WHEN SUBNETS: no pod veth, no address or route in SUBNETS (an ERE), no
# nftables rule (with nft), no netns file or mount, no lease.
no_network_left() {
  assert_eq "$(ip -o link | grep -c veth)" "0" "no veth left $1"
  assert_eq "$(ip -o addr | grep -c -E "$2")" "0" "no address left $1"
  assert_eq "$(ip route | grep -c -E "$2")" "0" "no route left $1"
  if command -v nft >/dev/null; then
    assert_eq "$(nft list ruleset 2>/dev/null)" "" "no nftables rule left $1"
  fi
  assert_eq "$(netns_files)" "" "no netns file left $1"
  assert_eq "$(grep -c /var/run/netns/cni- /proc/self/mountinfo)" "0" "no netns mount left $1"
  assert_eq "$(leases)" "" "no lease left $1"
}
