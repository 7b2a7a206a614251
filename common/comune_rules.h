/*
 * What a comune's settings and topics may be: the one set of checks used
 * by banditorectl (comune set, topic add) and by the editors' API (PATCH
 * /api/v1/comune, /api/v1/topics), matching the schema's CHECKs
 * (db/migrations/0002_consent.sql, 0013_console.sql). Pure functions, no
 * I/O: time zones are checked against PostgreSQL's list by the caller.
 * Tested in tests/unit/common/test_comune_rules.c.
 */
#ifndef BND_COMUNE_RULES_H
#define BND_COMUNE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#define CRULE_KW_MAX 32        /* bytes of one folded keyword */
#define CRULE_KW_LIST_MAX 1024 /* bytes of a folded list, "A,B,C" */

/* The built-in Italian keyword lists, used when a comune's list is empty
 * (words separated by spaces, as services/subscriptions/keywords.c reads them). */
#define CRULE_DEFAULT_JOIN "ATTIVA ATTIVARE ISCRIZIONE ISCRIVIMI ISCRIVI START"
#define CRULE_DEFAULT_LEAVE "DISATTIVA DISATTIVARE STOP CANCELLAMI CANCELLA DISISCRIVIMI"
#define CRULE_DEFAULT_TOPICS "TEMI ARGOMENTI"
#define CRULE_DEFAULT_HELP "AIUTO INFO HELP"
/* Words that always mean something whatever the lists (confirm, every topic). */
#define CRULE_RESERVED "CONFERMA TUTTI TUTTE"

/* A topic's slug: 1-32 of a-z, 0-9, '_' and '-'. */
bool crule_slug_ok(const char *slug);
/* A topic's keyword as stored: 2-32 of A-Z and 0-9. */
bool crule_topic_keyword_ok(const char *kw);
/*
 * Folds one keyword (the len bytes at word) into out: blanks trimmed,
 * ASCII upper case, Italian accented letters to their base letter.
 * 0, or -1 if it is not one word of 1-32 letters or digits.
 */
int crule_keyword_fold(const char *word, size_t len, char out[CRULE_KW_MAX + 1])
    __attribute__((warn_unused_result));
/*
 * Folds a comma-separated list ("Attiva, iscrivimi") into out as
 * "ATTIVA,ISCRIVIMI" (duplicates dropped; "" for an empty list, meaning
 * the defaults). 0, or -1 with the offending word copied into bad.
 */
int crule_keywords_csv(const char *csv, char out[CRULE_KW_LIST_MAX], char bad[64])
    __attribute__((warn_unused_result));
/* A comune's four lists, folded, "A,B" or "" (= the defaults). */
struct crule_lists {
	const char *join, *leave, *topics, *help;
};
/*
 * Which command word kw (folded) already is for a comune with lists l:
 * "join", "leave", "topics", "help", "reserved" (CONFERMA, TUTTI), or
 * NULL if it is free for a topic.
 */
const char *crule_keyword_clash(const char *kw, const struct crule_lists *l);
/* A time of day "HH:MM", 00:00 to 23:59. */
bool crule_time_ok(const char *s);
/* An http:// or https:// address without blanks, or "" when allow_empty. */
bool crule_url_ok(const char *s, bool allow_empty);
/* EUR per message as PostgreSQL's numeric(10,4) under 10: "0.03", "0.0300". */
bool crule_price_ok(const char *s);

#endif
