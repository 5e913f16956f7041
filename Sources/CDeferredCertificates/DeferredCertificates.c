// Putting off libgit2's CA bundle parse until a connection needs it.
//
// libgit2 1.5's mbedTLS backend calls `mbedtls_x509_crt_parse_file(chain, path)` once during
// `git_libgit2_init`, with the chain it then installs in its TLS configuration
// (`mbedtls_ssl_conf_ca_chain`). This file defines a function of that name. The dynamic linker
// binds libgit2's call to the executable's definition first (ordinary ELF interposition; the
// linker exports it because libgit2.so refers to it), so during init we only note the chain and
// the path, and parse later, into that same chain, when the Git module is about to connect.
//
// Every other call goes straight to mbedTLS. Should libgit2 ever be built without mbedTLS this
// function is simply never called. Should a connection be attempted without the parse, the chain
// is empty and mbedTLS rejects every server certificate: the failure is closed, never open.

#define _GNU_SOURCE
#include "DeferredCertificates.h"

#include <dlfcn.h>
#include <git2.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

typedef int (*parse_file_function)(void *chain, const char *path);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int deferring;
static void *pending_chain;
static char pending_path[PATH_MAX];
static char default_path[PATH_MAX];

static parse_file_function real_parse_file(void) {
  static parse_file_function real;
  if (real == NULL) {
    real = (parse_file_function)dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
  }
  return real;
}

// MBEDTLS_ERR_X509_FILE_IO_ERROR: what mbedTLS itself says when it cannot read the file.
static const int file_io_error = -0x2900;

// Parses the pending bundle; the caller holds `lock`.
static int load_pending(void) {
  if (pending_chain == NULL) {
    return 0;
  }
  parse_file_function real = real_parse_file();
  int result = real != NULL ? real(pending_chain, pending_path) : file_io_error;
  pending_chain = NULL;
  return result < 0 ? result : 0;
}

int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
  pthread_mutex_lock(&lock);
  if (deferring && pending_chain == NULL && chain != NULL && path != NULL
      && strlen(path) < sizeof(pending_path)) {
    pending_chain = chain;
    strcpy(pending_path, path);
    strcpy(default_path, path);
    pthread_mutex_unlock(&lock);
    return 0;
  }
  // A later load (GIT_OPT_SET_SSL_CERT_LOCATIONS) may free the pending chain once it has parsed
  // its own: parse the pending one first, so no pointer to freed memory is ever kept.
  load_pending();
  pthread_mutex_unlock(&lock);
  parse_file_function real = real_parse_file();
  return real != NULL ? real(chain, path) : file_io_error;
}

void promptgate_certificates_defer_begin(void) {
  pthread_mutex_lock(&lock);
  deferring = 1;
  pthread_mutex_unlock(&lock);
}

void promptgate_certificates_defer_end(void) {
  pthread_mutex_lock(&lock);
  deferring = 0;
  pthread_mutex_unlock(&lock);
}

int promptgate_certificates_load_deferred(const char **path_out) {
  pthread_mutex_lock(&lock);
  int result = load_pending();
  pthread_mutex_unlock(&lock);
  if (result < 0 && path_out != NULL) {
    *path_out = pending_path;
  }
  return result;
}

const char *promptgate_certificates_default_path(void) {
  pthread_mutex_lock(&lock);
  const char *path = default_path[0] != '\0' ? default_path : NULL;
  pthread_mutex_unlock(&lock);
  return path;
}

int promptgate_set_certificate_locations(const char *file, const char *folder) {
  return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, folder);
}
