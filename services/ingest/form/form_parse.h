/*
 * The web sign-up form's request: parsing (application/x-www-form-
 * urlencoded or JSON) and validation against the comune's topics.
 * Errors name the field, so that the page and API clients can say what
 * to correct. Pure functions: no I/O, no logging (a body may hold a
 * phone number).
 */
#ifndef BND_FORM_PARSE_H
#define BND_FORM_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "phone.h"
#include "core/form_comuni.h"

#define FORM_BODY_MAX 4096   /* larger bodies: 413 */

struct form_request {
	char phone[PHONE_MAX];                   /* E.164 */
	const char *topics[FORM_TOPICS_MAX];     /* slugs, pointing into the comune */
	size_t ntopics;
	bool privacy;                            /* the privacy notice was accepted */
	bool json;                               /* the client sent JSON (answer JSON) */
};

struct form_error {
	int code;                  /* 400, 413, 415 */
	const char *field;         /* "phone", "topics", "privacy", "body" */
	const char *message;       /* Italian, for the citizen; static */
};

/*
 * Parses and validates body (len bytes, NUL-terminated) sent with
 * content_type (may be NULL) for comune c. 0 with *out filled, or -1
 * with *err filled.
 */
int form_parse(const char *content_type, const char *body, size_t len,
               const struct form_comune *c, struct form_request *out,
               struct form_error *err) __attribute__((warn_unused_result));

#endif
