#ifndef PROMPTGATE_CLIBGIT2_SHIM_H
#define PROMPTGATE_CLIBGIT2_SHIM_H
// libgit2 as a system library: Debian's libgit2-dev (or Homebrew's libgit2), found through
// pkg-config.
#include <git2.h>
// libssh2 (libgit2-dev depends on libssh2-1-dev): its known_hosts reader checks the host keys of
// ssh remotes, which libgit2 1.5 leaves to the caller.
#include <libssh2.h>

/// `git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, folder)`: Swift cannot call a variadic
/// C function, and calling it through a fixed prototype is wrong where variadic arguments go on
/// the stack (arm64 macOS). `static inline`, so the Swift module that imports this header (Git,
/// the only one that talks to libgit2) compiles it into itself: no C target of its own.
static inline int promptgate_set_certificate_locations(const char *file, const char *folder) {
  return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, folder);
}

/// `git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled)`, variadic as above.
static inline int promptgate_verify_objects_on_read(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/// mbedTLS's `mbedtls_x509_crt_parse_file` where libgit2 and mbedTLS are linked in from their
/// archives with `--wrap=mbedtls_x509_crt_parse_file` (scripts/static-libgit2.sh): the linker
/// names the original so. Referred to only in that build (Git's CertificateAuthorities.swift).
int __real_mbedtls_x509_crt_parse_file(void *chain, const char *path);

/// libssh2's `libssh2_init` and `libssh2_session_init_ex` where libgit2 and libssh2 are linked in
/// from their archives with `--wrap` on both (scripts/static-libgit2.sh); the allocator arguments
/// are function pointers, passed on as they came. Referred to only in that build (Git's
/// SSHLibraryStart.swift).
int __real_libssh2_init(int flags);
LIBSSH2_SESSION *__real_libssh2_session_init_ex(void *allocate, void *free, void *reallocate, void *abstract);

/// libgit2's entry points into its mbedTLS stream where libgit2 is linked in from its archive
/// with `--wrap` on each (scripts/static-libgit2.sh); `git_stream **` and `git_stream *` passed
/// on as they came. Internal to libgit2 (streams/mbedtls.h), so declared here; referred to only
/// in that build (Git's TLSLibraryStart.swift).
int __real_git_mbedtls_stream_global_init(void);
int __real_git_mbedtls_stream_new(void *out, const char *host, const char *port);
int __real_git_mbedtls_stream_wrap(void *out, void *in, const char *host);
int __real_git_mbedtls__set_cert_location(const char *file, const char *path);
#endif
