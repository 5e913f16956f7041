#ifndef PROMPTGATE_LAZY_GSSAPI_H
#define PROMPTGATE_LAZY_GSSAPI_H
#include <stdint.h>

/// Loads GSSAPI (MIT Kerberos' libgssapi_krb5.so.2) if it is not yet, and says whether it is
/// there. libgit2 asks for GSSAPI only when an https server wants Negotiate (Kerberos) auth;
/// promptgate's own tests call this to check the forwarding works.
int promptgate_gssapi_available(void);

/// `gss_indicate_mechs` through the forwarding below: the number of mechanisms the library
/// offers, or -1 when it is not there or refuses. For the tests.
int promptgate_gssapi_mechanism_count(void);
#endif
