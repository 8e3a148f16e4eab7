# Pod fixtures for the pod command tests (test_pod_*.sh): pod directories in rkt's documented
# layout (docs/pod-states.md, rkt-notes §2.7) built from the busybox fixture ACI, and processes
# that hold a pod's lock the way a running stage1 does. Source after lib.sh (and private_mounts).
#
#   pod_fixture_image                 builds $T/img/{manifest,rootfs} once
#   make_pod DATA PHASE [UUID]        prints the UUID of a new pod in pods/PHASE (prepared pods
#                                     and pods that ran have a manifest, appsinfo and app rootfs)
#   hold_pod DATA UUID                starts a process group holding the pod's lock (pid and
#                                     pgid files written, as the fly stage1 does); prints its pid
#   release_pod PID [SIGNAL]          kills that group (SIGKILL by default) and reaps it

POD_APP=busybox

pod_fixture_image() {
  [ -d "$T/img/rootfs" ] && return 0
  mkdir -p "$T/img"
  POD_IMAGE_ID=$(sh "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/busybox.aci") ||
    die "cannot build the busybox fixture"
  tar -xzf "$T/busybox.aci" -C "$T/img" || die "cannot extract the busybox fixture"
  echo "$POD_IMAGE_ID" >"$T/img/id"
}

new_uuid() { cat /proc/sys/kernel/random/uuid; }

pod_path() { # DATA UUID: the pod's directory, wherever it is now
  local d
  for d in embryo prepare prepared run exited-garbage garbage; do
    [ -d "$1/pods/$d/$2" ] && { echo "$1/pods/$d/$2"; return 0; }
  done
  return 1
}

make_pod() { # DATA PHASE [UUID]
  local data=$1 phase=$2 uuid=${3:-$(new_uuid)}
  local pod="$data/pods/$phase/$uuid"
  pod_fixture_image
  mkdir -p "$data/pods"/{embryo,prepare,prepared,run,exited-garbage,garbage}
  mkdir -m 0750 "$pod"
  if [ "$phase" != embryo ] && [ "$phase" != prepare ]; then
    cat >"$pod/pod" <<JSON
{"acVersion":"1.30.0","acKind":"PodManifest","apps":[{"name":"$POD_APP","image":{"name":"example.com/busybox","id":"$(cat "$T/img/id")","labels":[{"name":"version","value":"1.0.0"}]},"app":{"exec":["/bin/sh"],"user":"0","group":"0","userLabels":{"tier":"test"}}}],"volumes":[],"isolators":[],"annotations":[],"ports":[],"userAnnotations":{"owner":"pod-tests"}}
JSON
    : >"$pod/pod.lck"
    : >"$pod/pod-created"
    ln -s fly "$pod/flavor"
    mkdir -p "$pod/appsinfo/$POD_APP" "$pod/stage1/rootfs/opt/stage2/$POD_APP" \
      "$pod/stage1/rootfs/rkt/env" "$pod/stage1/rootfs/rkt/status"
    cp "$T/img/manifest" "$pod/appsinfo/$POD_APP/manifest"
    cp -a "$T/img/rootfs" "$pod/stage1/rootfs/opt/stage2/$POD_APP/rootfs"
    printf 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOME=/root\nAC_APP_NAME=%s\n' \
      "$POD_APP" >"$pod/stage1/rootfs/rkt/env/$POD_APP"
  fi
  echo "$uuid"
}

# The holder is a new session (its own process group), so stop's group signal reaches it only.
hold_pod() { # DATA UUID
  local pod
  pod=$(pod_path "$1" "$2") || die "no pod $2"
  setsid flock "$pod" sleep 600 </dev/null >/dev/null 2>&1 &
  local pid=$!
  local i
  for i in $(seq 1 100); do
    flock -n -s "$pod" true 2>/dev/null || break
    sleep 0.05
  done
  printf '%s\n' "$pid" >"$pod/pgid"
  printf '%s\n' "$pid" >"$pod/pid"
  on_exit "kill -KILL -- -$pid 2>/dev/null"
  echo "$pid"
}

release_pod() { # PID [SIGNAL]
  kill -"${2:-KILL}" -- "-$1" 2>/dev/null
  wait "$1" 2>/dev/null
  # flock's child (sleep) holds the lock too and may die after flock itself was reaped: the pod
  # is released only once the whole group is gone.
  local i
  for i in $(seq 1 200); do
    kill -0 -- "-$1" 2>/dev/null || break
    sleep 0.02
  done
  return 0
}

# Mounts below DATA in this namespace (the tests run in a private one).
mounts_below() { awk -v d="$1" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo; }
