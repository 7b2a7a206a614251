/*
 * What a citizen's message asks for. Matching ignores case, accents,
 * surrounding whitespace and trailing punctuation ("  Attiva! " =
 * ATTIVA); Telegram's /commands work everywhere ("/start@bot viabilita").
 * Each comune may replace the keyword lists; empty lists mean the
 * Italian defaults. CONFERMA always joins (it confirms a web sign-up).
 *
 * Decoration around a command is ignored, by two tables in keywords.c:
 *  - kw_decoration: emoji, symbols and punctuation (code point ranges:
 *    😀 👉 🙏🏻 ❤️ ✅ « » …) count as spaces, like ASCII punctuation
 *    other than / @ - _ ("ATTIVA 🙂", "👉 disattiva", "Attiva!!!");
 *  - kw_courtesy: courtesy phrases (PER FAVORE, PER PIACERE, GRAZIE,
 *    CIAO, BUONGIORNO, SALVE, ...) are dropped from the start and the end
 *    of the message only ("ciao, ATTIVA!", "Attiva per favore").
 * What remains must still be a command alone (or with topics): a sentence
 * that merely contains a keyword ("non voglio che attiva niente", "come
 * si attiva il servizio?") is not one, and gets the automatic reply.
 */
#ifndef BND_KEYWORDS_H
#define BND_KEYWORDS_H

#include <stdbool.h>
#include <stddef.h>

#define KW_MAX_TOPICS 16

enum kw_action {
	KW_NONE,    /* not a command: automatic reply */
	KW_JOIN,    /* ATTIVA [topic...], /start [topic] */
	KW_LEAVE,   /* DISATTIVA, /stop */
	KW_TOPICS,  /* TEMI, /temi: list the topics */
	KW_HELP,    /* AIUTO, INFO, /aiuto */
	KW_CHOOSE,  /* only topic keywords, or TUTTI: choose topics */
};

/* A comune's keyword lists: folded words separated by spaces; NULL or
 * empty = defaults. */
struct kw_lists {
	const char *join, *leave, *topics, *help;
};

/* A topic a citizen can name by keyword or slug. */
struct kw_topic {
	const char *slug;
	const char *keyword;
};

struct kw_command {
	enum kw_action action;
	const char *topics[KW_MAX_TOPICS];  /* slugs (point into the kw_topic table) */
	size_t ntopics;
	bool all_topics;                    /* TUTTI: every topic */
};

/* Folds text into out: ASCII upper case, accents removed, trimmed. */
void kw_fold(const char *text, char *out, size_t outlen);
/* Parses text; lists and topics may be NULL. */
void kw_parse(const char *text, const struct kw_lists *lists,
              const struct kw_topic *topics, size_t ntopics, struct kw_command *out);
/* Join/leave/none with the default lists and no topics. */
enum kw_action kw_match(const char *text);
const char *kw_action_name(enum kw_action a);

#endif
