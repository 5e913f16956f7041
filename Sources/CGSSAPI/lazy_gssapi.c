// The eight GSSAPI functions and the one OID libgit2 1.5 uses for Negotiate (Kerberos) auth,
// defined here and forwarded to MIT Kerberos' libgssapi_krb5.so.2, which is loaded the first
// time one is called, not when promptgate starts.
//
// Why: the shipped binary links libgit2 in (scripts/static-libgit2.sh), and libgit2.a refers to
// GSSAPI. Linking libgssapi_krb5 made every command load it and the five libraries it needs
// (krb5, k5crypto, com_err, krb5support, keyutils) and run their initialisers: about 1 ms of
// every start-up (docs/benchmarks.md), for an auth scheme used only when a server asks for it.
// Where the library is missing, Negotiate is unavailable rather than promptgate unable to start.
//
// Where libgit2 is a shared library (the debug build, the tests) it still loads GSSAPI itself;
// its calls then come here too (the executable's definitions come first) and go on to the same
// library. Hand-written C because no library does this, and because Swift can define a function
// with a C name but not a variable: GSS_C_NT_HOSTBASED_SERVICE is one. No GSSAPI headers are
// needed (Debian's libgit2-dev does not bring them): the prototypes below are RFC 2744's, with
// opaque handles as void pointers, which is how they are passed.

#include "lazy_gssapi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t OM_uint32;
typedef struct {
  OM_uint32 length;
  void *elements;
} gss_OID_desc;
typedef struct {
  size_t length;
  void *value;
} gss_buffer_desc;
typedef struct {
  size_t count;
  gss_OID_desc *elements;
} gss_OID_set_desc;

// GSS_S_UNAVAILABLE (RFC 2744, 3.9.1): what a function says when the library is not there.
#define UNAVAILABLE (16u << 16)
#define COMPLETE 0u

// RFC 2743's GSS_C_NT_HOSTBASED_SERVICE, 1.2.840.113554.1.2.1.4: GSSAPI compares name types by
// value, so this copy serves as the library's own would.
static gss_OID_desc hostbased_service = {10, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04"};
gss_OID_desc *GSS_C_NT_HOSTBASED_SERVICE = &hostbased_service;

static struct {
  OM_uint32 (*delete_sec_context)(OM_uint32 *, void **, gss_buffer_desc *);
  OM_uint32 (*display_status)(OM_uint32 *, OM_uint32, int, gss_OID_desc *, OM_uint32 *, gss_buffer_desc *);
  OM_uint32 (*import_name)(OM_uint32 *, gss_buffer_desc *, gss_OID_desc *, void **);
  OM_uint32 (*indicate_mechs)(OM_uint32 *, gss_OID_set_desc **);
  OM_uint32 (*init_sec_context)(OM_uint32 *, void *, void **, void *, gss_OID_desc *, OM_uint32, OM_uint32, void *,
                                gss_buffer_desc *, gss_OID_desc **, gss_buffer_desc *, OM_uint32 *, OM_uint32 *);
  OM_uint32 (*release_buffer)(OM_uint32 *, gss_buffer_desc *);
  OM_uint32 (*release_name)(OM_uint32 *, void **);
  OM_uint32 (*release_oid_set)(OM_uint32 *, gss_OID_set_desc **);
  int complete;
} gssapi;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

// Written once, under pthread_once; read only after it returns.
static void load(void) {
  void *library = dlopen("libgssapi_krb5.so.2", RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) return;
  *(void **)&gssapi.delete_sec_context = dlsym(library, "gss_delete_sec_context");
  *(void **)&gssapi.display_status = dlsym(library, "gss_display_status");
  *(void **)&gssapi.import_name = dlsym(library, "gss_import_name");
  *(void **)&gssapi.indicate_mechs = dlsym(library, "gss_indicate_mechs");
  *(void **)&gssapi.init_sec_context = dlsym(library, "gss_init_sec_context");
  *(void **)&gssapi.release_buffer = dlsym(library, "gss_release_buffer");
  *(void **)&gssapi.release_name = dlsym(library, "gss_release_name");
  *(void **)&gssapi.release_oid_set = dlsym(library, "gss_release_oid_set");
  gssapi.complete = gssapi.delete_sec_context && gssapi.display_status && gssapi.import_name &&
                    gssapi.indicate_mechs && gssapi.init_sec_context && gssapi.release_buffer &&
                    gssapi.release_name && gssapi.release_oid_set;
}

static int loaded(OM_uint32 *minor) {
  pthread_once(&load_once, load);
  if (!gssapi.complete && minor != NULL) *minor = 0;
  return gssapi.complete;
}

int promptgate_gssapi_available(void) { return loaded(NULL); }

OM_uint32 gss_indicate_mechs(OM_uint32 *minor, gss_OID_set_desc **mechanisms);
OM_uint32 gss_release_oid_set(OM_uint32 *minor, gss_OID_set_desc **set);

int promptgate_gssapi_mechanism_count(void) {
  OM_uint32 minor = 0;
  gss_OID_set_desc *set = NULL;
  if (gss_indicate_mechs(&minor, &set) != COMPLETE || set == NULL) return -1;
  int count = (int)set->count;
  gss_release_oid_set(&minor, &set);
  return count;
}

OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **context, gss_buffer_desc *token) {
  // Nothing can have been made without the library: nothing to delete.
  return loaded(minor) ? gssapi.delete_sec_context(minor, context, token) : COMPLETE;
}

OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type, gss_OID_desc *mechanism,
                             OM_uint32 *context, gss_buffer_desc *text) {
  if (loaded(minor)) return gssapi.display_status(minor, status, type, mechanism, context, text);
  // libgit2 prints this text in its error message: an empty one, and no more to come.
  if (text != NULL) {
    text->length = 0;
    text->value = NULL;
  }
  if (context != NULL) *context = 0;
  return COMPLETE;
}

OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_desc *name, gss_OID_desc *type, void **imported) {
  return loaded(minor) ? gssapi.import_name(minor, name, type, imported) : UNAVAILABLE;
}

OM_uint32 gss_indicate_mechs(OM_uint32 *minor, gss_OID_set_desc **mechanisms) {
  return loaded(minor) ? gssapi.indicate_mechs(minor, mechanisms) : UNAVAILABLE;
}

OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *credential, void **context, void *target,
                               gss_OID_desc *mechanism, OM_uint32 flags, OM_uint32 lifetime, void *bindings,
                               gss_buffer_desc *input, gss_OID_desc **actual, gss_buffer_desc *output,
                               OM_uint32 *returned_flags, OM_uint32 *returned_lifetime) {
  if (!loaded(minor)) return UNAVAILABLE;
  return gssapi.init_sec_context(minor, credential, context, target, mechanism, flags, lifetime, bindings, input,
                                 actual, output, returned_flags, returned_lifetime);
}

OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_desc *buffer) {
  return loaded(minor) ? gssapi.release_buffer(minor, buffer) : COMPLETE;
}

OM_uint32 gss_release_name(OM_uint32 *minor, void **name) {
  return loaded(minor) ? gssapi.release_name(minor, name) : COMPLETE;
}

OM_uint32 gss_release_oid_set(OM_uint32 *minor, gss_OID_set_desc **set) {
  return loaded(minor) ? gssapi.release_oid_set(minor, set) : COMPLETE;
}
