/*
 * Values passed to PostgreSQL as text parameters: array literals built
 * incrementally (one statement for a whole batch, with unnest), and the
 * checks that keep a bad event value from failing a statement forever
 * (a CHECK or a cast that can never succeed would make the worker retry
 * the same message without end).
 */
#ifndef BND_PGTEXT_H
#define BND_PGTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A growing PostgreSQL array literal: {"a","b",NULL}. */
struct pgtext {
	char *buf;
	size_t len, cap;
	size_t n;
};

void pgtext_init(struct pgtext *a);
/* Appends a text element; NULL appends SQL NULL. */
void pgtext_add(struct pgtext *a, const char *s);
/* Appends an integer element. */
void pgtext_add_int(struct pgtext *a, long long v);
/* Closes the literal; a->buf is then the parameter. */
const char *pgtext_end(struct pgtext *a);
void pgtext_free(struct pgtext *a);
/* The literal of items[0..n) for which ok (NULL: all) says yes, closed. */
void pgtext_array(struct pgtext *a, char **items, size_t n, bool (*ok)(const char *));

/* A channel target a notice may name (channel_target_ok, channel_kind.h). */
bool pgtext_channel_ok(const char *s);
/* s if it is a known notice category, else "other". */
const char *pgtext_category(const char *s);
/* true if s is a UUID in text form. */
bool pgtext_uuid_ok(const char *s);

#endif
