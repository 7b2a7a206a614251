/* Secrets by reference: "env:NAME", "file:/path" (trailing newline trimmed). */
#ifndef BND_SECRET_H
#define BND_SECRET_H

#include <stddef.h>

/* Returns the secret (caller frees) or NULL with err set; never logs it. */
char *secret_resolve(const char *ref, char *err, size_t errlen);

#endif
