/* banditorectl's version: BND_VERSION from the Makefile (git describe). */
#include "ctl.h"

#ifndef BND_VERSION
#define BND_VERSION "unknown"
#endif

const char ctl_version[] = BND_VERSION;
