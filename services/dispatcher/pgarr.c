/* PostgreSQL array literals built in memory (pgarr.h). */
#include "pgarr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Appends n bytes. */
static void pgarr_put(struct pgarr *a, const char *s, size_t n)
{
	if (a->len + n + 2 > a->cap) {
		a->cap = (a->len + n + 2) * 2;
		a->buf = xrealloc(a->buf, a->cap);
	}
	memcpy(a->buf + a->len, s, n);
	a->len += n;
	a->buf[a->len] = '\0';
}

/* Appends one element: NULL, or v quoted with '"' and '\' escaped. */
void pgarr_add(struct pgarr *a, const char *v)
{
	pgarr_put(a, a->count++ ? "," : "{", 1);
	if (v == NULL) {
		pgarr_put(a, "NULL", 4);
		return;
	}
	pgarr_put(a, "\"", 1);
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			pgarr_put(a, "\\", 1);
		pgarr_put(a, v, 1);
	}
	pgarr_put(a, "\"", 1);
}

void pgarr_add_bytes(struct pgarr *a, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = p;
	char pair[2];

	pgarr_put(a, a->count++ ? "," : "{", 1);
	pgarr_put(a, "\"\\\\x", 4);   /* "\\x: bytea's hex form, its backslash escaped */
	for (size_t i = 0; i < n; i++) {
		pair[0] = hex[b[i] >> 4];
		pair[1] = hex[b[i] & 15];
		pgarr_put(a, pair, 2);
	}
	pgarr_put(a, "\"", 1);
}

/* Appends an integer element, or NULL if null is set. */
void pgarr_add_int(struct pgarr *a, long long v, int null)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", v);
	pgarr_add(a, null ? NULL : num);
}

/* Closes the literal; the caller frees the returned string. */
char *pgarr_end(struct pgarr *a)
{
	if (a->count == 0)
		pgarr_put(a, "{", 1);
	pgarr_put(a, "}", 1);
	return a->buf;
}

void pgarr_free(struct pgarr *cols, int n)
{
	for (int c = 0; c < n; c++) {
		free(cols[c].buf);
		memset(&cols[c], 0, sizeof(cols[c]));
	}
}

PGresult *pgarr_exec_with(struct db *db, const char *sql, struct pgarr *cols, int n,
                          const char *const *tail, int ntail)
{
	const char *params[16] = { 0 };
	PGresult *res;

	if (n + ntail > (int)(sizeof(params) / sizeof(params[0])))
		abort();
	for (int c = 0; c < n; c++)
		params[c] = pgarr_end(&cols[c]);
	for (int t = 0; t < ntail; t++)
		params[n + t] = tail[t];
	res = db_exec(db, sql, n + ntail, params);
	pgarr_free(cols, n);
	return res;
}

PGresult *pgarr_exec(struct db *db, const char *sql, struct pgarr *cols, int n)
{
	return pgarr_exec_with(db, sql, cols, n, NULL, 0);
}
