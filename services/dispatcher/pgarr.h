/*
 * PostgreSQL array literals ("{...}" with every element quoted), passed
 * as one text parameter: a batch of any size is one round trip, and
 * nothing is ever spliced into SQL. Start from a zeroed struct; the
 * caller frees buf.
 */
#ifndef DSP_PGARR_H
#define DSP_PGARR_H

#include <stddef.h>

#include "db.h"

struct pgarr {
	char  *buf;
	size_t len;
	size_t cap;
	size_t count;
};

/* Appends one element: NULL, or v quoted with '"' and '\\' escaped. */
void pgarr_add(struct pgarr *a, const char *v);
/* Appends a bytea element (hex form) of n bytes. */
void pgarr_add_bytes(struct pgarr *a, const void *p, size_t n);
/* Appends an integer element, or NULL if null is set. */
void pgarr_add_int(struct pgarr *a, long long v, int null);
/* Closes the literal and returns it (a->buf); add nothing after. */
char *pgarr_end(struct pgarr *a);
/* Frees the n arrays' buffers (and zeroes them). */
void pgarr_free(struct pgarr *cols, int n);
/*
 * Runs sql with the n arrays as $1..$n, then frees them: db_exec's result
 * (caller PQclears), or NULL on error.
 */
PGresult *pgarr_exec(struct db *db, const char *sql, struct pgarr *cols, int n)
    __attribute__((warn_unused_result));
/* As pgarr_exec, with ntail more (scalar) parameters after the arrays: $n+1... */
PGresult *pgarr_exec_with(struct db *db, const char *sql, struct pgarr *cols, int n,
                          const char *const *tail, int ntail) __attribute__((warn_unused_result));

#endif
