#!/usr/bin/env bash
# Side-by-side: `rkt fetch` and `rkt image render` against their floors, on a generated ACI of
# ~200 MB in ~20,000 files (deterministic, bench/gen-rootfs.py), gzip-compressed:
#
#   fetch    rkt fetch IMAGE.aci into a fresh store     vs   gzip -dc IMAGE.aci | sha512sum
#   render   rkt image render IMAGE OUT                 vs   tar -xf IMAGE.tar   (same filesystem)
#
# `rkt fetch` does what rkt does: one-pass import (decompress, hash, store the tar) and, as root
# with overlayfs available, render-on-fetch into the tree store. `rkt image render` is measured
# with the tree already rendered (what a user sees after a fetch: check, then copy out; this is
# the target) and from a cold tree store (render + tree hash + copy out; for information).
# Each pair alternates floor and ours (both see the same machine load) and reports median and
# minimum wall time and the median CPU time (user+sys of all processes and threads: the work
# done, which a loaded machine does not distort). The targets (fetch and warm render at most
# 1.2x their floor) are on the wall time, the time a user waits, and are printed with it.
# Everything lives on tmpfs (/dev/shm) so the tools' own cost is compared; set WORK_DIR to use
# another filesystem.
# Environment: RKT (the rkt binary, default build/bin/rkt), RUNS (5), BENCH_WORK=DIR keeps the
# generated image there and reuses it on the next run.
set -euo pipefail

RKT=$(realpath "${RKT:-build/bin/rkt}")
RUNS=${RUNS:-5}
[ -x "$RKT" ] || { echo "fetch-aci.sh: $RKT is not built" >&2; exit 1; }
if [ -n "${BENCH_WORK:-}" ]; then
  WORK=$BENCH_WORK
  mkdir -p "$WORK"
  cleanup() { rm -rf "$WORK/data" "$WORK/out"; }
else
  WORK=$(mktemp -d "${WORK_DIR:-/dev/shm}/rkt-fetch-bench.XXXXXX")
  cleanup() { rm -rf "$WORK"; }
fi
trap cleanup EXIT
DATA=$WORK/data
RKT_ARGS="--dir='$DATA' --system-config='$WORK/none' --local-config='$WORK/none'"

if [ ! -s "$WORK/image.aci" ] || [ ! -s "$WORK/image.tar" ]; then
  echo "generating the image in $WORK ..."
  rm -rf "$WORK/image"
  python3 "$(dirname "$0")/gen-rootfs.py" "$WORK/image/rootfs"
  cat >"$WORK/image/manifest" <<'JSON'
{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/bench",
 "labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]}
JSON
  tar -C "$WORK/image" --sort=name --owner=0 --group=0 --numeric-owner -cf "$WORK/image.tar" \
    manifest rootfs
  gzip -6 -c "$WORK/image.tar" >"$WORK/image.aci"
  rm -rf "$WORK/image"
fi
echo "tar: $(stat -c %s "$WORK/image.tar") bytes; gzip: $(stat -c %s "$WORK/image.aci") bytes"

# Fail early and clearly when the store plugin is missing.
if ! eval "'$RKT' $RKT_ARGS image list" >/dev/null 2>"$WORK/err"; then
  echo "fetch-aci.sh: rkt cannot open its store: $(cat "$WORK/err")" >&2
  exit 1
fi

run_one() { # PREP CMD -> "wall_ms cpu_ms"
  eval "$1"
  if ! /usr/bin/time -f '%e %U %S' -o "$WORK/.time" bash -c "$2" >/dev/null 2>"$WORK/err"; then
    echo "fetch-aci.sh: failed: $2: $(cat "$WORK/err")" >&2
    exit 1
  fi
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$WORK/.time"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
minimum() { sort -n | head -1; }
# pair LABEL FLOOR_PREP FLOOR_NAME FLOOR_CMD OUR_PREP OUR_NAME OUR_CMD [TARGET]
# TARGET: the issue's bound on the wall-time ratio (what a user waits for), printed with it.
pair() {
  local label=$1 fprep=$2 fname=$3 fcmd=$4 oprep=$5 oname=$6 ocmd=$7 target=${8:-} i fw=() fc=()
  local ow=() oc=() w c
  for ((i = 0; i < RUNS; i++)); do
    read -r w c < <(run_one "$fprep" "$fcmd"); fw+=("$w"); fc+=("$c")
    read -r w c < <(run_one "$oprep" "$ocmd"); ow+=("$w"); oc+=("$c")
  done
  local fwm owm fcm ocm
  fwm=$(printf '%s\n' "${fw[@]}" | median); owm=$(printf '%s\n' "${ow[@]}" | median)
  fcm=$(printf '%s\n' "${fc[@]}" | median); ocm=$(printf '%s\n' "${oc[@]}" | median)
  printf '  %-42s wall median %6d ms min %6d ms | cpu median %6d ms\n' "$fname" "$fwm" \
    "$(printf '%s\n' "${fw[@]}" | minimum)" "$fcm"
  printf '  %-42s wall median %6d ms min %6d ms | cpu median %6d ms\n' "$oname" "$owm" \
    "$(printf '%s\n' "${ow[@]}" | minimum)" "$ocm"
  awk -v a="$owm" -v b="$fwm" -v c="$ocm" -v d="$fcm" -v l="$label" -v t="$target" \
    'BEGIN { printf "  => %s: wall %.2fx%s, cpu %.2fx the floor\n", l, a / b,
             t == "" ? "" : " (target <= " t "x)", c / d }'
}

renders=no
if [ "$(id -u)" -eq 0 ] && grep -qw overlay /proc/filesystems; then renders=yes; fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cpus)"

echo "== fetch (render-on-fetch: $renders)"
pair "fetch" ":" "gzip -dc IMAGE.aci | sha512sum" "gzip -dc '$WORK/image.aci' | sha512sum" \
  "rm -rf '$DATA'" "rkt fetch IMAGE.aci (fresh store)" \
  "'$RKT' $RKT_ARGS --insecure-options=image fetch '$WORK/image.aci'" 1.2

echo "== render (OUT on the same filesystem as the store)"
# The store holds the image from the last fetch run, its tree rendered when render-on-fetch is on.
eval "'$RKT' $RKT_ARGS image render example.com/bench '$WORK/out'" >/dev/null
out_prep="rm -rf '$WORK/out'"
tar_prep="rm -rf '$WORK/out'; mkdir '$WORK/out'"
pair "render, tree already rendered" "$tar_prep" "tar -xf IMAGE.tar" \
  "tar -C '$WORK/out' -xf '$WORK/image.tar'" \
  "$out_prep" "rkt image render (tree rendered)" \
  "'$RKT' $RKT_ARGS image render example.com/bench '$WORK/out'" 1.2
pair "render, cold tree store" "$tar_prep" "tar -xf IMAGE.tar" \
  "tar -C '$WORK/out' -xf '$WORK/image.tar'" \
  "$out_prep; '$RKT' $RKT_ARGS image gc --grace-period=24h >/dev/null 2>&1" \
  "rkt image render (cold tree store)" \
  "'$RKT' $RKT_ARGS image render example.com/bench '$WORK/out'"
