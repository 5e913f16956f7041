#ifndef PROMPTGATE_CLIBGIT2_SHIM_H
#define PROMPTGATE_CLIBGIT2_SHIM_H
// libgit2 as a system library: Debian's libgit2-dev, found through pkg-config.
#include <git2.h>
#endif
