#!/usr/bin/env bash
# Side-by-side: rkt_support_archive's one-pass import and safe extraction against their floors,
# on a generated image of ~200 MB in ~20,000 files (deterministic):
#
#   import   rkt-archive-bench import IMAGE.aci   vs   gzip -dc IMAGE.aci | sha512sum
#   extract  rkt-archive-bench extract IMAGE.tar  vs   tar -xf IMAGE.tar        (same filesystem)
#
# Work happens on tmpfs (/dev/shm) so the tools' own cost is compared; set EXT4_DIR=/some/dir to
# also run the extraction there (slow and noisy on this VM: perf-anchors.md note F1).
# Environment: RKT (the rkt binary; the driver sits next to it) or RKT_ARCHIVE_BENCH, RUNS (5).
set -euo pipefail

BENCH=${RKT_ARCHIVE_BENCH:-$(dirname "${RKT:-build/bin/rkt}")/rkt-archive-bench}
RUNS=${RUNS:-5}
[ -x "$BENCH" ] || { echo "archive.sh: $BENCH not built" >&2; exit 1; }
# BENCH_WORK=DIR keeps the generated image there and reuses it on the next run.
if [ -n "${BENCH_WORK:-}" ]; then
  WORK=$BENCH_WORK
  mkdir -p "$WORK"
  cleanup() { rm -rf "$WORK/blobs" "$WORK/t"; [ -z "${EXT4_DIR:-}" ] || rm -rf "$EXT4_DIR/rkt-archive-bench.$$"; }
else
  WORK=$(mktemp -d /dev/shm/rkt-archive-bench.XXXXXX)
  cleanup() { rm -rf "$WORK"; [ -z "${EXT4_DIR:-}" ] || rm -rf "$EXT4_DIR/rkt-archive-bench.$$"; }
fi
trap cleanup EXIT

if [ ! -s "$WORK/image.aci" ]; then
echo "generating the image tree in $WORK ..."
python3 - "$WORK/image/rootfs" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(7031)
vocab = [''.join(rng.choice('etaoinshrdlucmfwyp') for _ in range(rng.randint(1, 9))) for _ in range(3000)]
corpus = ' '.join(rng.choice(vocab) for _ in range(900000)).encode()
def data(size, kind):
    if kind == 0:                                   # text: compresses ~3x
        start = rng.randrange(0, max(1, len(corpus) - size))
        return corpus[start:start + size]
    if kind == 1:                                   # incompressible
        return rng.randbytes(size)
    out, n = [], 0                                  # binary-like: zero runs, text, noise
    while n < size:
        k = rng.randint(100, 5000)
        pick = rng.random()
        out.append(bytes(k) if pick < 0.35 else rng.randbytes(k) if pick < 0.6 else corpus[:k])
        n += k
    return b''.join(out)[:size]
dirs = []
for i in range(600):
    parts = ['p%d' % rng.randint(0, 30) for _ in range(rng.randint(0, 3))] + ['d%d' % i]
    dirs.append(os.path.join(root, *parts))
    os.makedirs(dirs[-1], exist_ok=True)
total = 0
for i in range(20000):
    if i < 50:
        size, kind = rng.randint(500_000, 2_500_000), 2
    else:
        size, kind = min(int(rng.lognormvariate(7.7, 1.5)), 900_000), rng.choices([0, 2, 1], [60, 35, 5])[0]
    path = os.path.join(rng.choice(dirs), 'f%d' % i)
    with open(path, 'wb') as f:
        f.write(data(size, kind))
    os.chmod(path, 0o755 if kind == 2 else 0o644)
    total += size
    if i % 40 == 0:
        os.symlink('f%d' % i, path + '.link')
print('files=20000 bytes=%d' % total)
PY
printf '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/bench"}' > "$WORK/image/manifest"
tar -C "$WORK/image" --sort=name --owner=0 --group=0 --numeric-owner -cf "$WORK/image.tar" manifest rootfs
gzip -6 -c "$WORK/image.tar" > "$WORK/image.aci"
rm -rf "$WORK/image"
fi
echo "tar: $(stat -c %s "$WORK/image.tar") bytes; gzip: $(stat -c %s "$WORK/image.aci") bytes"

# pair LABEL PREP FLOOR_NAME FLOOR_CMD OUR_NAME OUR_CMD: runs both commands $RUNS times,
# alternating (so both see the same machine load), PREP untimed before each; prints the median
# and minimum wall time, the median CPU time (user+sys, all processes and threads; less
# sensitive to other load on the machine) and the ratios of the medians.
run_one() { # PREP CMD -> "wall_ms cpu_ms"
  eval "$1"
  /usr/bin/time -f '%e %U %S' -o "$WORK/.time" bash -c "$2" >/dev/null
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$WORK/.time"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
minimum() { sort -n | head -1; }
pair() {
  local label=$1 prep=$2 fname=$3 fcmd=$4 oname=$5 ocmd=$6 i fw=() fc=() ow=() oc=() w c
  for ((i = 0; i < RUNS; i++)); do
    read -r w c < <(run_one "$prep" "$fcmd"); fw+=("$w"); fc+=("$c")
    read -r w c < <(run_one "$prep" "$ocmd"); ow+=("$w"); oc+=("$c")
  done
  local fwm owm fcm ocm
  fwm=$(printf '%s\n' "${fw[@]}" | median); owm=$(printf '%s\n' "${ow[@]}" | median)
  fcm=$(printf '%s\n' "${fc[@]}" | median); ocm=$(printf '%s\n' "${oc[@]}" | median)
  printf '  %-38s wall median %6d ms min %6d ms | cpu median %6d ms\n' "$fname" "$fwm" \
    "$(printf '%s\n' "${fw[@]}" | minimum)" "$fcm"
  printf '  %-38s wall median %6d ms min %6d ms | cpu median %6d ms\n' "$oname" "$owm" \
    "$(printf '%s\n' "${ow[@]}" | minimum)" "$ocm"
  awk -v a="$owm" -v b="$fwm" -v c="$ocm" -v d="$fcm" -v l="$label" \
    'BEGIN { printf "  => %s: wall %.2fx, cpu %.2fx the floor\n", l, a / b, c / d }'
}

mkdir -p "$WORK/blobs"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== import: decompress once, sha512, write the blob, read the manifest"
pair "import (gzip)" "rm -f '$WORK'/blobs/*" \
  "gzip -dc IMAGE.aci | sha512sum" "gzip -dc '$WORK/image.aci' | sha512sum" \
  "rkt-archive-bench import IMAGE.aci" "'$BENCH' import '$WORK/image.aci' '$WORK/blobs'"
pair "import (uncompressed)" "rm -f '$WORK'/blobs/*" \
  "sha512sum IMAGE.tar" "sha512sum '$WORK/image.tar'" \
  "rkt-archive-bench import IMAGE.tar" "'$BENCH' import '$WORK/image.tar' '$WORK/blobs'"

extract_pair() { # DIR LABEL
  local d=$1 label=$2
  echo "== extract on $label"
  pair "extract ($label)" "rm -rf '$d/t'; mkdir -p '$d/t'" \
    "tar -xf IMAGE.tar" "tar -C '$d/t' -xf '$WORK/image.tar'" \
    "rkt-archive-bench extract IMAGE.tar" "'$BENCH' extract '$WORK/image.tar' '$d/t'"
  pair "extract gzip ($label)" "rm -rf '$d/t'; mkdir -p '$d/t'" \
    "tar -xzf IMAGE.aci" "tar -C '$d/t' -xzf '$WORK/image.aci'" \
    "rkt-archive-bench extract IMAGE.aci" "'$BENCH' extract '$WORK/image.aci' '$d/t'"
  rm -rf "$d/t"
}
extract_pair "$WORK" tmpfs
if [ -n "${EXT4_DIR:-}" ]; then
  mkdir -p "$EXT4_DIR/rkt-archive-bench.$$"
  extract_pair "$EXT4_DIR/rkt-archive-bench.$$" "$(stat -f -c %T "$EXT4_DIR")"
fi
