/*
 * Validation of the editors' API input: pure functions over the raw
 * body, unit-tested on their own.
 */
#ifndef BND_EDITOR_VALIDATE_H
#define BND_EDITOR_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto.h"

#define NOTICE_TITLE_MAX 120     /* characters (code points) */
#define NOTICE_BODY_MAX 3000
#define NOTICE_TOPICS_MAX 32
#define NOTICE_TOPIC_MAX 64

/* A validated POST /api/v1/notices body. Strings owned. */
struct notice_input {
	char   *title;
	char   *body;
	bool    urgent;
	char  **topics;
	size_t  ntopics;
};

/* What is wrong and where. field is "" when the body is not JSON. */
struct editor_error {
	char field[32];
	char message[160];
};

/* Parses and validates; 0 with *out filled (free with editor_notice_free)
 * or -1 with *err filled and *out empty. */
int editor_notice_parse(const void *body, size_t len, struct notice_input *out,
                        struct editor_error *err) __attribute__((warn_unused_result));
void editor_notice_free(struct notice_input *in);
/* Code points in valid UTF-8 (jansson has validated it). */
size_t editor_utf8_chars(const char *s);
/* True if s is a UUID (8-4-4-4-12 hex); out gets it in lowercase. */
bool editor_uuid_parse(const char *s, char out[UUID_STR_LEN + 1])
    __attribute__((warn_unused_result));

#endif
