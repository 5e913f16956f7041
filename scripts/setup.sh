#!/usr/bin/env bash
# Installs what promptgate needs from Debian's packages, only when it is missing, and says so.
# Usage: scripts/setup.sh [--for-tests]
set -euo pipefail

need=()
pkg-config --version >/dev/null 2>&1 || need+=(pkg-config)
if ! pkg-config --exists libgit2 2>/dev/null; then need+=(libgit2-dev); fi
command -v git >/dev/null 2>&1 || need+=(git)
if [ "${1:-}" = "--for-tests" ]; then
  # libgit2's own test repositories: the diff is checked against git on them.
  [ -d /usr/share/doc/libgit2-fixtures/examples/testrepo.git ] || need+=(libgit2-fixtures)
  command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
  command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${need[*]} with apt-get (Debian packages promptgate needs)"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
    echo "setup: not root, so through sudo"
  else
    echo "setup: error: need root or sudo to install ${need[*]}; install them and run make again" >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "setup: installed ${need[*]}"
