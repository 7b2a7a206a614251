/*
 * Request bodies that must be JSON and valid UTF-8. jansson refuses
 * invalid UTF-8 with a byte offset; this names the field instead
 * ("title", "topics[2]", "message.text"), so that the 400 tells the
 * client what to correct. Pure: no I/O, no logging.
 */
#ifndef BND_JSON_BODY_H
#define BND_JSON_BODY_H

#include <jansson.h>
#include <stddef.h>

enum jbody_err {
	JBODY_OK = 0,
	JBODY_JSON,    /* not JSON (a NUL byte included): *jerr says where */
	JBODY_UTF8,    /* invalid UTF-8: field names where ("body" if outside any string) */
};

/*
 * Parses body (len bytes, need not be NUL-terminated) with jansson's
 * flags. JBODY_OK: *root is the document (caller decrefs). Otherwise
 * *root is NULL and field (fieldlen bytes, may be NULL) or *jerr (may be
 * NULL) says what is wrong.
 */
enum jbody_err jbody_load(const void *body, size_t len, size_t flags, json_t **root,
                          char *field, size_t fieldlen, json_error_t *jerr)
    __attribute__((warn_unused_result));
/* The first component of a field path ("topics" of "topics[2]"), into out. */
void jbody_top(const char *field, char *out, size_t outlen);

#endif
