/*
 * The body of PATCH /api/v1/comune, checked (common/comune_rules.h) and
 * normalized: each settable field's new value as PostgreSQL text, or
 * NULL when not given. Pure: no I/O (the time zone is checked against
 * PostgreSQL's list by the worker). Tested in
 * tests/unit/ingest/test_comune_patch.c.
 */
#ifndef BND_COMUNE_PATCH_H
#define BND_COMUNE_PATCH_H

#include <jansson.h>

#include "api/editor_error.h"

enum comune_kind {
	CK_TEXT,     /* contact_text: up to 1000 characters */
	CK_URL,      /* privacy_url: http(s):// or "" */
	CK_KEYWORDS, /* a keyword list: "a, b" or ["a", "b"]; stored "A,B" */
	CK_TIME,     /* HH:MM */
	CK_TZ,       /* an IANA name, checked by the worker */
	CK_SECONDS,  /* 0 to a year */
	CK_PRICE,    /* EUR per message, stored with 4 decimals */
	CK_READONLY, /* shown, not changed here (banditorectl comune set) */
};

/* One field of the comune: its JSON name is its column's. */
struct comune_field {
	const char *name;
	enum comune_kind kind;
	const char *read_sql;  /* the column as text, as the audit shows it */
	const char *write_sql; /* the new value from the parameter $2 */
};

extern const struct comune_field comune_fields[];
#define COMUNE_NFIELDS 14

struct comune_patch {
	char *values[COMUNE_NFIELDS]; /* normalized, or NULL: not given */
};

/* root (a JSON object) into p; 0, or -1 with err filled (nothing to free then). */
int comune_patch_parse(json_t *root, struct comune_patch *p, struct editor_error *err)
    __attribute__((warn_unused_result));
/* Frees p's values. */
void comune_patch_free(struct comune_patch *p);
/* The index of the field named name in comune_fields, or -1. */
int comune_field_find(const char *name);

#endif
