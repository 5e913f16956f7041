#ifndef PROMPTGATE_DEFERRED_CERTIFICATES_H
#define PROMPTGATE_DEFERRED_CERTIFICATES_H

/// Debian builds libgit2 against mbedTLS, and `git_libgit2_init` then parses the whole system
/// CA bundle (about 140 certificates, 9 ms on a CI runner) although only an https remote ever
/// needs it: most promptgate commands never open a network connection. These functions let the
/// Git module put that parse off until the first connection. See DeferredCertificates.c.

/// Call just before `git_libgit2_init`: the CA bundle libgit2 loads during init is noted, not
/// parsed.
void promptgate_certificates_defer_begin(void);

/// Call just after `git_libgit2_init`: from now on every load goes straight to mbedTLS.
void promptgate_certificates_defer_end(void);

/// Parses the CA bundle put off during init, into the chain libgit2 gave for it; does nothing
/// when nothing was put off or it was already parsed. Call before any connection to a remote.
/// Returns 0, or mbedTLS's negative error code (then `path_out`, when not NULL, points at the
/// bundle's path, owned by this module).
int promptgate_certificates_load_deferred(const char **path_out);

/// The CA bundle libgit2 loaded (or put off) during init, or NULL when it loaded none.
const char *promptgate_certificates_default_path(void);

/// `git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, folder)`, which Swift cannot call
/// (it is variadic): trust these certificate authorities instead of the system's. Returns
/// libgit2's result. Not safe to call while another thread connects or sets them: libgit2 frees
/// the chain it replaces.
int promptgate_set_certificate_locations(const char *file, const char *folder);

#endif
