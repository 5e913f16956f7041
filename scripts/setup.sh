#!/usr/bin/env bash
# Installs what promptgate needs from Debian's packages, only when it is missing, and says so.
# Usage: scripts/setup.sh [--for-build | --for-tests]
#   --for-build  only what building and installing promptgate needs (make install, make dist, CI)
set -euo pipefail

case "${1:-}" in
  "" | --for-build | --for-tests) ;;
  *)
    echo "usage: scripts/setup.sh [--for-build | --for-tests]" >&2
    exit 2
    ;;
esac

need=()
pkg-config --version >/dev/null 2>&1 || need+=(pkg-config)
if ! pkg-config --exists libgit2 2>/dev/null; then need+=(libgit2-dev); fi
# libyaml reads every YAML document (Sources/CYAML); libyaml-dev has the archive the release links.
if ! pkg-config --exists yaml-0.1 2>/dev/null; then need+=(libyaml-dev); fi
# git fetches the Swift packages promptgate depends on; make runs make install in a CI image.
command -v git >/dev/null 2>&1 || need+=(git)
command -v make >/dev/null 2>&1 || need+=(make)
if [ "${1:-}" != "--for-build" ]; then
  # The demo's story: reviewers' SSH keys, and each command run at a chosen time.
  command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
  command -v faketime >/dev/null 2>&1 || need+=(faketime)
fi
if [ "${1:-}" = "--for-tests" ]; then
  # libgit2's own test repositories: the diff is checked against git on them.
  [ -d /usr/share/doc/libgit2-fixtures/examples/testrepo.git ] || need+=(libgit2-fixtures)
  command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
  # Headless Chromium renders the HTML report and screenshots it, to check a person can read it.
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  # An sshd of the tests' own on a loopback port: sync over a real ssh remote.
  [ -x /usr/sbin/sshd ] || need+=(openssh-server)
  # Shows which files a run opens: the system CA bundle only when a remote is contacted.
  command -v strace >/dev/null 2>&1 || need+=(strace)
  # An https git server of the tests' own (git's http-backend behind Python's TLS server), with a
  # certificate authority and certificates made by openssl: sync over a real https remote.
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  # Renders the man page make install writes, as a user's man would.
  command -v man >/dev/null 2>&1 || need+=(man-db)
fi

pip_need=()
if [ "${1:-}" = "--for-tests" ]; then
  # Real consumers of check's CI formats, read back by the tests (PyPI).
  python3 -c 'import junitparser' 2>/dev/null || pip_need+=(junitparser)
  python3 -c 'import sarif_pydantic' 2>/dev/null || pip_need+=(sarif-pydantic)
  command -v sarif >/dev/null 2>&1 || pip_need+=(sarif-tools)
  # Validates the CI recipes in docs/ci/ against GitHub's and GitLab's schemas.
  command -v check-jsonschema >/dev/null 2>&1 || pip_need+=(check-jsonschema)
  command -v pip3 >/dev/null 2>&1 || command -v pip >/dev/null 2>&1 || need+=(python3-pip)
fi

install_pip() {
  [ ${#pip_need[@]} -eq 0 ] && return 0
  echo "setup: installing ${pip_need[*]} from PyPI with pip (the tests read check's CI formats back and validate the CI recipes with them)"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${pip_need[@]}" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${pip_need[@]}"
  echo "setup: installed ${pip_need[*]}"
}

if [ ${#need[@]} -eq 0 ]; then
  install_pip
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
install_pip
