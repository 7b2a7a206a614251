/* PostgreSQL text parameters; see pgtext.h. */
#include "pgtext.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel_kind.h"
#include "xmalloc.h"

void pgtext_init(struct pgtext *a)
{
	a->cap = 256;
	a->buf = xmalloc(a->cap);
	a->buf[0] = '{';
	a->len = 1;
	a->n = 0;
}

/* Makes room for need more bytes (and the closing "}\0"). */
static void pgtext_room(struct pgtext *a, size_t need)
{
	if (a->len + need + 2 <= a->cap)
		return;
	while (a->len + need + 2 > a->cap)
		a->cap *= 2;
	a->buf = xrealloc(a->buf, a->cap);
}

void pgtext_add(struct pgtext *a, const char *s)
{
	if (a->n++ > 0) {
		pgtext_room(a, 1);
		a->buf[a->len++] = ',';
	}
	if (s == NULL) {
		pgtext_room(a, 4);
		memcpy(a->buf + a->len, "NULL", 4);
		a->len += 4;
		return;
	}
	pgtext_room(a, 2 * strlen(s) + 2);
	a->buf[a->len++] = '"';
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			a->buf[a->len++] = '\\';
		a->buf[a->len++] = *s;
	}
	a->buf[a->len++] = '"';
}

void pgtext_add_int(struct pgtext *a, long long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", v);
	if (a->n++ > 0) {
		pgtext_room(a, 1);
		a->buf[a->len++] = ',';
	}
	pgtext_room(a, strlen(num));
	memcpy(a->buf + a->len, num, strlen(num));
	a->len += strlen(num);
}

const char *pgtext_end(struct pgtext *a)
{
	pgtext_room(a, 0);
	a->buf[a->len++] = '}';
	a->buf[a->len] = '\0';
	return a->buf;
}

void pgtext_free(struct pgtext *a)
{
	free(a->buf);
	a->buf = NULL;
}

void pgtext_array(struct pgtext *a, char **items, size_t n, bool (*ok)(const char *))
{
	pgtext_init(a);
	for (size_t i = 0; i < n; i++)
		if (ok == NULL || ok(items[i]))
			pgtext_add(a, items[i]);
	pgtext_end(a);
}

bool pgtext_channel_ok(const char *s)
{
	return channel_target_ok(s);
}

const char *pgtext_category(const char *s)
{
	static const char *const known[] = { "outage", "roads", "weather", "civil_protection",
		                             "waste", "deadline", "event", "other" };

	for (size_t i = 0; s != NULL && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return "other";
}

bool pgtext_uuid_ok(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}
