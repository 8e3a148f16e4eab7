#!/usr/bin/env bash
# A pod on a flannel network (its default delegate, bridge, in-process): rkt run --net=flan
# attaches eth0 with an address of FLANNEL_SUBNET and a route to FLANNEL_NETWORK through the
# gateway on cni0, the delegate's configuration is kept in dataDir while the pod exists, and gc of
# the exited pod leaves no veth, lease or saved configuration. In the network and mount
# namespace private_mounts gives the test.
. "$(dirname "$0")/../../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$RKT_SOURCE_DIR/plugins/stage1/nspawn/tests/nspawn_lib.sh"
for p in net-flannel net-bridge ipam-host-local; do
  [ -f "$PLUGINS/$p.so" ] || skip "$p.so is not built"
done

LOCAL="$T/local"
mkdir -p "$LOCAL/net.d"
RN() { R --local-config="$LOCAL" "$@"; }
printf 'FLANNEL_NETWORK=10.98.0.0/16\nFLANNEL_SUBNET=10.98.17.1/24\nFLANNEL_MTU=1410\nFLANNEL_IPMASQ=true\n' \
  >"$T/subnet.env"
cat >"$LOCAL/net.d/10-flan.conf" <<CONF
{"cniVersion":"1.0.0","name":"flan","type":"flannel","subnetFile":"$T/subnet.env",
 "dataDir":"$T/flannel"}
CONF

RN run --net=flan --uuid-file-save="$T/u1" $NSPAWN "$IMG" --exec /bin/sh -- -c \
  'ip -o -4 addr show eth0 | awk "{print \$4}"; ip route | grep 10.98.0.0; ip link show eth0 | grep -o "mtu [0-9]*"'
assert_rc 0 "run on the flannel network"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" "10.98.17.2/24" "eth0 holds an address of FLANNEL_SUBNET"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 2p)" "10.98.0.0/16 via 10.98.17.1 dev eth0 " \
  "a route to FLANNEL_NETWORK through the delegate's gateway"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 3p)" "mtu 1410" "FLANNEL_MTU"
U1=$(cat "$T/u1")
R status "$U1"
assert_contains "$OUT" "networks=flan:ip4=10.98.17.2" "rkt status shows the flannel network"
test -f "$T/flannel/$U1" || fail "the delegate configuration is not saved for DEL"
assert_contains "$(cat "$T/flannel/$U1")" '"isGateway":true,"mtu":1410,"name":"flan","type":"bridge"' \
  "the saved delegate is the reference's bridge"
assert_contains "$(ip -o -4 addr show cni0)" "10.98.17.1/24" "the gateway on the bridge"

R gc --grace-period=0s
R gc --grace-period=0s
test -e "$T/flannel/$U1" && fail "the saved delegate configuration outlived gc"
assert_eq "$(ip -o link | grep -c veth)" "0" "no veth left after gc"
assert_eq "$(find /var/lib/cni/networks -type f -name '10.*' 2>/dev/null)" "" "no lease left after gc"
assert_eq "$(ls /var/run/netns)" "" "no netns left after gc"
