/* The build's version (see version.h). */
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BND_VERSION
#define BND_VERSION "unknown"
#endif

const char bnd_version[] = BND_VERSION;

void version_main(int argc, char **argv, const char *name)
{
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", name, bnd_version);
		exit(0);
	}
}
