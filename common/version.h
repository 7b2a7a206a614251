/*
 * The build's version: what `git describe --always --dirty` said when it
 * was built (the Makefile's BND_VERSION), "unknown" outside git.
 */
#ifndef BND_VERSION_H
#define BND_VERSION_H

#include <stdbool.h>

extern const char bnd_version[];

/* If argv[1] is --version, prints "<name> <version>" and exits 0. */
void version_main(int argc, char **argv, const char *name);

#endif
