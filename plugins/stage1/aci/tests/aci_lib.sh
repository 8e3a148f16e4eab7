# Shared by the aci flavor's functional tests. Source after lib.sh and private_mounts.
#
# Gives: $DATA, R (rkt with --dir=$DATA, empty configuration dirs, --insecure-options=image),
# $APP_ACI builder (app_image NAME EXEC...: prints the image key), last_pod, and skips unless
# busybox-static and the plugins a pod needs are there.
[ -x /bin/busybox ] || skip "busybox-static is not installed"
for p in stage1-aci store-cas fetcher-aci-archive; do
  [ -f "$RKT_BUILD_DIR/lib/rkt/plugins/$p.so" ] || skip "$p.so is not built"
done
FIX="$RKT_SOURCE_DIR/tests/fixtures"
DATA="$T/data"
mkdir -p "$T/sys" "$T/local"
R() { run_rkt --dir="$DATA" --system-config="$T/sys" --local-config="$T/local" \
  --insecure-options=image "$@"; }

# app_image FILE NAME EXEC...: builds and fetches a busybox app image; prints its key.
app_image() {
  local file=$1 name=$2
  shift 2
  "$FIX/make-busybox-aci.sh" "$file" "$name" 1.0.0 "$@" >/dev/null || die "cannot build $name"
  R fetch "$file"
  [ "$RC" -eq 0 ] || die "cannot fetch $name: $ERR"
  echo "${OUT:0:71}"
}

# The directory of the pod created last (by its pod-created file, rkt's creation time).
last_pod() { dirname "$(ls -t "$DATA"/pods/*/*/pod-created | head -n 1)"; }
