#!/bin/sh
# ./make.sh TARGET...: `make TARGET...` on a fresh Debian 12, as root, where make itself may not
# be installed yet (the README's two commands: ./make.sh demo, ./make.sh check).
set -eu
cd "$(dirname "$0")"
if ! command -v make >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "make.sh: make is not installed; run as root to install it with apt-get" >&2
    exit 1
  fi
  echo "installing: make"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make
fi
exec make "$@"
