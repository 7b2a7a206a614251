/*
 * Consent keywords a citizen types. Matching ignores case, accents,
 * surrounding whitespace and trailing punctuation ("  Attiva! " = ATTIVA).
 */
#ifndef BND_KEYWORDS_H
#define BND_KEYWORDS_H

#include <stddef.h>

enum kw_action {
	KW_NONE,   /* not a command */
	KW_JOIN,   /* ATTIVA, ISCRIZIONE, ISCRIVIMI, START, /start */
	KW_LEAVE,  /* DISATTIVA, STOP, CANCELLAMI, /stop */
};

/* Folds text into out: ASCII upper case, accents removed, trimmed. */
void kw_fold(const char *text, char *out, size_t outlen);
enum kw_action kw_match(const char *text);
const char *kw_action_name(enum kw_action a);

#endif
