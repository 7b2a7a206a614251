/* PostgreSQL array literals (pgarr.h). */
#include "pgarr.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Makes room for need more bytes and the closing "}\0". */
static void pgarr_room(struct pgarr *a, size_t need)
{
	if (a->len + need + 2 <= a->cap)
		return;
	a->cap = (a->len + need + 2) * 2;
	if (a->cap < 64)
		a->cap = 64;
	a->buf = xrealloc(a->buf, a->cap);
}

/* Opens the literal, or separates the next element; then room for need bytes. */
static void pgarr_next(struct pgarr *a, size_t need)
{
	pgarr_room(a, need + 1);
	a->buf[a->len++] = a->count++ > 0 ? ',' : '{';
}

void pgarr_add(struct pgarr *a, const char *v)
{
	if (v == NULL) {
		pgarr_next(a, 4);
		memcpy(a->buf + a->len, "NULL", 4);
		a->len += 4;
		return;
	}
	pgarr_next(a, 2 * strlen(v) + 2);
	a->buf[a->len++] = '"';
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			a->buf[a->len++] = '\\';
		a->buf[a->len++] = *v;
	}
	a->buf[a->len++] = '"';
}

/* Writes v in decimal at the end of num[24] (no NUL); returns where it starts. A
 * batch adds several numbers per job: no snprintf for each. */
static char *pgarr_itoa(long long v, char num[24])
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	char *p = num + 24;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return p;
}

void pgarr_add_int(struct pgarr *a, long long v, bool null)
{
	char num[24], *p;
	size_t n;

	if (null) {
		pgarr_add(a, NULL);
		return;
	}
	p = pgarr_itoa(v, num);
	n = (size_t)(num + sizeof(num) - p);
	pgarr_next(a, n);
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

void pgarr_add_bytes(struct pgarr *a, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = p;

	pgarr_next(a, 2 * n + 5);
	memcpy(a->buf + a->len, "\"\\\\x", 4);   /* "\\x: bytea's hex form, its backslash escaped */
	a->len += 4;
	for (size_t i = 0; i < n; i++) {
		a->buf[a->len++] = hex[b[i] >> 4];
		a->buf[a->len++] = hex[b[i] & 15];
	}
	a->buf[a->len++] = '"';
}

void pgarr_add_all(struct pgarr *a, char *const *items, size_t n, bool (*ok)(const char *))
{
	for (size_t i = 0; i < n; i++)
		if (ok == NULL || ok(items[i]))
			pgarr_add(a, items[i]);
}

const char *pgarr_end(struct pgarr *a)
{
	pgarr_room(a, 1);
	if (a->count == 0)
		a->buf[a->len++] = '{';
	a->buf[a->len++] = '}';
	a->buf[a->len] = '\0';
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
		abort();   /* a statement with more: a programming error */
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
