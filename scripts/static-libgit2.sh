#!/usr/bin/env bash
# Links libgit2, libyaml and the C++ runtime into the shipped binary (make install, dist, bench)
# where their static archives are there, and prints the extra `swift build` flags that takes;
# leaves the link as it was (libgit2.so, libyaml.so, libstdc++.so), saying why, where they are not.
# Usage: scripts/static-libgit2.sh <folder>   (the folder is made afresh: .build-release/static-libgit2)
#
# Why: loading libgit2.so and what it pulls in (OpenSSL's libcrypto, mbedTLS, krb5, pcre2 ...)
# and binding their symbols cost about 2.5 ms of every command, more than a whole
# `git diff --numstat` of one file (docs/benchmarks.md, issue 16).
#
# How: SwiftPM links libgit2 with `-lgit2 -lssh2` (Clibgit2's module map) and the `-L` that
# pkg-config gives. The folder holds a libgit2.pc whose only `-L` is the folder itself, and links
# to the archives: the linker, searching the folder first, takes libgit2.a and libssh2.a and the
# archives they need, in the order they need them. GSSAPI (Kerberos, for servers that ask for
# it), which libgit2.a also calls, is not linked: Sources/CGSSAPI defines what libgit2 calls and
# loads the library the first time a server asks for Negotiate.
# With mbedTLS inside, the call CertificateAuthorities puts off is reached through the linker's
# --wrap instead of ELF interposition (Sources/Git/CertificateAuthorities.swift says why); with
# libssh2 inside, its start-up is put off the same way (Sources/Git/SSHLibraryStart.swift), and
# so is the rest of mbedTLS's (Sources/Git/TLSLibraryStart.swift).
#
# The C++ runtime (libstdc++, libgcc_s), which the Swift runtime needs, by the same trick: loaded
# as shared libraries they cost the loader 1,700 symbol bindings at every start, half of what
# `promptgate --version` did (docs/benchmarks.md, session 10). And the binary exports no symbols
# (`--no-export-dynamic`; Swift asks for `-export-dynamic`, which put 12,000 of them in the
# dynamic table): nothing loads promptgate as a library, and the runtime's one `dladdr` at start
# scanned the whole table.
set -euo pipefail

folder="${1:?usage: scripts/static-libgit2.sh <folder>}"
rm -rf "$folder"
mkdir -p "$folder"
folder="$(cd "$folder" && pwd)"

# The extra `swift build` flags, printed at the end (or when libgit2 stays shared).
flags=()
[ "$(uname -s)" != Linux ] || flags+=(-Xlinker --no-export-dynamic)

# libstdc++.a where the C compiler keeps it; libgcc's unwinder then comes from libgcc_eh.a.
static_cxx_runtime() {
  local archive
  archive="$(${CC:-cc} -print-file-name=libstdc++.a 2>/dev/null)" || archive=""
  case "$archive" in
    /*) [ -f "$archive" ] || archive="" ;;
    *) archive="" ;;
  esac
  if [ -z "$archive" ]; then
    echo "static-libgit2: linking libstdc++.so: ${CC:-cc} knows no libstdc++.a (Debian's libstdc++-<gcc version>-dev has it)" >&2
    return 0
  fi
  ln -s "$archive" "$folder/libstdc++.a"
  flags+=(-Xlinker "-L$folder" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
}
[ "$(uname -s)" != Linux ] || static_cxx_runtime

# libyaml (Sources/CYAML), by the same trick: a yaml-0.1.pc whose only -L is the folder, which
# holds a link to libyaml.a. On its own, so that libyaml is linked in even where libgit2 is not.
static_libyaml() {
  local libdir version
  libdir="$(pkg-config --variable=libdir yaml-0.1 2>/dev/null)" || {
    echo "static-libgit2: linking libyaml.so: pkg-config does not know yaml-0.1" >&2
    return 0
  }
  [ -f "$libdir/libyaml.a" ] || {
    echo "static-libgit2: linking libyaml.so: no $libdir/libyaml.a" >&2
    return 0
  }
  ln -s "$libdir/libyaml.a" "$folder/libyaml.a"
  version="$(pkg-config --modversion yaml-0.1)"
  cat >"$folder/yaml-0.1.pc" <<EOF
# Written by scripts/static-libgit2.sh: libyaml $version linked in from $libdir.
Name: LibYAML
Description: Library to parse and emit YAML (static, for promptgate's shipped binary)
Version: $version
Libs: -L$folder -lyaml
Cflags: $(pkg-config --cflags yaml-0.1)
EOF
}
[ "$(uname -s)" != Linux ] || static_libyaml

# Falls back to the shared library, saying why on stderr (make shows it; the build goes on).
shared() {
  echo "static-libgit2: linking libgit2.so: $1" >&2
  echo "${flags[*]}"
  exit 0
}

[ "$(uname -s)" = Linux ] || shared "static linking is set up for Linux only"
libdir="$(pkg-config --variable=libdir libgit2 2>/dev/null)" || shared "pkg-config does not know libgit2"
[ -f "$libdir/libgit2.a" ] || shared "no $libdir/libgit2.a"
command -v nm >/dev/null 2>&1 || shared "no nm to read libgit2.a with"

# Whether an archive calls functions of that prefix it does not define. (Not `nm | grep -q`: grep
# leaving early fails nm, and with pipefail the test.)
undefined() {
  nm -u "$1" 2>/dev/null | grep -c " $2" >/dev/null
}

# Every library the archives need, in link order, as pkg-config --static names them; the C
# library's own (rt, dl, pthread, m) stay shared.
libraries=()
for flag in $(pkg-config --static --libs libgit2 libssh2); do
  case "$flag" in
    -l*) name="${flag#-l}" ;;
    *) continue ;;
  esac
  case "$name" in rt | dl | pthread | m | c) continue ;; esac
  # libssh2.pc names libgpg-error for a libgcrypt build; ours uses OpenSSL's libcrypto.
  if [ "$name" = gpg-error ] && ! undefined "$libdir/libssh2.a" gpg_; then continue; fi
  [ -f "$libdir/lib$name.a" ] || shared "no $libdir/lib$name.a (from pkg-config --static --libs)"
  [ -e "$folder/lib$name.a" ] || ln -s "$libdir/lib$name.a" "$folder/lib$name.a"
  libraries+=("-l$name")
done

version="$(pkg-config --modversion libgit2)"
cat >"$folder/libgit2.pc" <<EOF
# Written by scripts/static-libgit2.sh: libgit2 $version linked in from $libdir.
Name: libgit2
Description: The git library, take 2 (static, for promptgate's shipped binary)
Version: $version
Libs: -L$folder ${libraries[*]}
Cflags: $(pkg-config --cflags libgit2)
EOF

if printf '%s\n' "${libraries[@]}" | grep -qx -- -lmbedx509; then
  flags+=(-Xlinker --wrap=mbedtls_x509_crt_parse_file -Xswiftc -DPROMPTGATE_STATIC_MBEDTLS)
  # The rest of its TLS start-up put off too (Sources/Git/TLSLibraryStart.swift), where
  # libgit2.a has the four entry points it wraps, as libgit2 1.x's streams/mbedtls.c defines them.
  tls_entry_points=(git_mbedtls_stream_global_init git_mbedtls_stream_new git_mbedtls_stream_wrap
    git_mbedtls__set_cert_location)
  defined="$(nm -g --defined-only "$libdir/libgit2.a" 2>/dev/null || true)"
  wraps=()
  for name in "${tls_entry_points[@]}"; do
    grep -c " T $name\$" <<<"$defined" >/dev/null || { wraps=(); break; }
    wraps+=(-Xlinker "--wrap=$name")
  done
  if [ ${#wraps[@]} -gt 0 ]; then
    flags+=("${wraps[@]}" -Xswiftc -DPROMPTGATE_STATIC_MBEDTLS_START)
  else
    echo "static-libgit2: TLS starts inside git_libgit2_init: libgit2.a lacks one of ${tls_entry_points[*]}" >&2
  fi
fi
# libssh2's start-up put off until the first ssh session (Sources/Git/SSHLibraryStart.swift).
if printf '%s\n' "${libraries[@]}" | grep -qx -- -lssh2; then
  flags+=(-Xlinker --wrap=libssh2_init -Xlinker --wrap=libssh2_session_init_ex -Xswiftc -DPROMPTGATE_STATIC_LIBSSH2)
fi
echo "${flags[*]}"
