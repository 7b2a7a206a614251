/*
 * PostgreSQL array literals built in memory: {"a","b\"c",NULL,42}, every
 * text element quoted with '"' and '\' escaped, NULL bare. Each travels
 * as one text parameter ($1::text[], $2::bigint[], ...), so a batch of
 * any size is one statement (unnest(), = ANY()) and no value is ever
 * spliced into SQL. Start from a zeroed struct, add, then pgarr_end()
 * once for the parameter; pgarr_free() (or pgarr_exec(), which frees
 * its arrays) releases the buffer.
 */
#ifndef BND_PGARR_H
#define BND_PGARR_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

struct pgarr {
	char  *buf;
	size_t len;
	size_t cap;
	size_t count;   /* elements added */
};

/* Appends a text element, or NULL if v is NULL. */
void pgarr_add(struct pgarr *a, const char *v);
/* Appends an integer element, or NULL if null is set. */
void pgarr_add_int(struct pgarr *a, long long v, bool null);
/* Appends a bytea element of n bytes (hex form). */
void pgarr_add_bytes(struct pgarr *a, const void *p, size_t n);
/* Appends items[0..n) for which ok (NULL: all) says yes. */
void pgarr_add_all(struct pgarr *a, char *const *items, size_t n, bool (*ok)(const char *));
/* Closes the literal and returns it (a->buf, "{}" if empty); add nothing after. */
const char *pgarr_end(struct pgarr *a);
/* Frees the n arrays' buffers and zeroes them. */
void pgarr_free(struct pgarr *cols, int n);
/*
 * Runs sql with the n arrays as $1..$n (closed here), then frees them:
 * db_exec's result (caller PQclears), or NULL on error. At most 16
 * parameters in all.
 */
PGresult *pgarr_exec(struct db *db, const char *sql, struct pgarr *cols, int n)
    __attribute__((warn_unused_result));
/* As pgarr_exec, with ntail more (scalar) parameters after the arrays: $n+1... */
PGresult *pgarr_exec_with(struct db *db, const char *sql, struct pgarr *cols, int n,
                          const char *const *tail, int ntail) __attribute__((warn_unused_result));

#endif
