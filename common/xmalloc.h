/* Allocation wrappers that abort on out-of-memory, so call sites stay clean. */
#ifndef BND_XMALLOC_H
#define BND_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Room for one more element in the array v, n of whose *cap elements (of
 * size bytes) are used: *cap doubles (from 64) when it is full. Returns v,
 * moved if it grew. */
void *xgrow(void *v, size_t n, size_t *cap, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Formatted allocation; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
