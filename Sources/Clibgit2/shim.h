#ifndef PROMPTGATE_CLIBGIT2_SHIM_H
#define PROMPTGATE_CLIBGIT2_SHIM_H
// libgit2 as a system library: Debian's libgit2-dev, found through pkg-config.
#include <git2.h>
// libssh2 (libgit2-dev depends on libssh2-1-dev): its known_hosts reader checks the host keys of
// ssh remotes, which libgit2 1.5 leaves to the caller.
#include <libssh2.h>
#endif
