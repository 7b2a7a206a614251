/*
 * What is wrong with an editor's request body, and where: the one shape
 * of a 400 the editors' API answers (editor_reply_invalid), filled by
 * editor_invalid() wherever a body is refused. Pure: no I/O, no logging.
 */
#ifndef BND_EDITOR_ERROR_H
#define BND_EDITOR_ERROR_H

/* What is wrong and where. field is "" when the body is not JSON. */
struct editor_error {
	char field[32];
	char message[160];
};

/*
 * Fills err with field (may be err->field itself) and the formatted
 * message, both cut between UTF-8 characters to fit; returns -1.
 */
int editor_invalid(struct editor_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
