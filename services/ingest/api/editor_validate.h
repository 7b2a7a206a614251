/*
 * Validation of the editors' API input: pure functions over the raw
 * body, unit-tested on their own.
 */
#ifndef BND_EDITOR_VALIDATE_H
#define BND_EDITOR_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto.h"
#include "api/editor_error.h"

#define NOTICE_TITLE_MAX 120     /* characters (code points) */
#define NOTICE_BODY_MAX 3000
#define NOTICE_TOPICS_MAX 32
#define NOTICE_TOPIC_MAX 64
#define NOTICE_LINK_MAX 500      /* bytes */
#define NOTICE_REASON_MAX 500    /* characters */
#define NOTICE_CATEGORIES "outage roads weather civil_protection waste deadline event other"
#define NOTICE_CHANNELS "whatsapp telegram telegram_channel"
#define NOTICE_SEARCH_MAX 100   /* characters of a list's q= */

struct pgarr;

/* A validated POST /api/v1/notices body. Strings owned. */
struct notice_input {
	char   *title;
	char   *body;
	bool    urgent;
	char  **topics;
	size_t  ntopics;
	char   *category;      /* one of the categories; "other" by default */
	char   *link;          /* http(s) URL or "" */
	char  **channels;      /* whatsapp, telegram, telegram_channel; none = all */
	size_t  nchannels;
	int     version;       /* the version edited (PUT/PATCH); 0 = any */
	long long scheduled_at_ms; /* the author's proposed sending time; 0 = none */
};

/* The optional body of submit/approve/reject/schedule/cancel. */
struct action_input {
	int       version;          /* 0 = any */
	long long scheduled_at_ms;  /* 0 = none, -1 = now (an explicit null) */
	char      reason[NOTICE_REASON_MAX * 4 + 1];
};

/* Parses and validates; 0 with *out filled (free with editor_notice_free)
 * or -1 with *err filled and *out empty. A scheduled_at is only parsed
 * (RFC 3339 or null): whether it is still ahead is the caller's
 * editor_schedule_check, which knows the time. */
int editor_notice_parse(const void *body, size_t len, struct notice_input *out,
                        struct editor_error *err) __attribute__((warn_unused_result));
void editor_notice_free(struct notice_input *in);
/* 0 if in has no scheduled_at or one after now_ms, else -1 (*err). */
int editor_schedule_check(const struct notice_input *in, long long now_ms,
                          struct editor_error *err) __attribute__((warn_unused_result));
/*
 * The body of an action: required says which fields must be there
 * ("reason" for reject, "scheduled_at" for schedule). An empty body is
 * an empty object. now_ms: scheduled_at must be later. 0 or -1 (*err).
 */
int editor_action_parse(const void *body, size_t len, bool need_reason, bool need_time,
                        long long now_ms, struct action_input *out, struct editor_error *err)
    __attribute__((warn_unused_result));
/* Parses an RFC 3339 time ("2026-11-23T09:30:00Z", "...+01:00", optional
 * fraction) into Unix ms; false if malformed. */
bool editor_time_parse(const char *s, long long *ms) __attribute__((warn_unused_result));
/*
 * The list's q= (NULL or blank: no search): valid UTF-8 of at most
 * NOTICE_SEARCH_MAX characters, split into words at ASCII white space.
 * Each word is added to words as an ILIKE pattern "%word%" with a backslash,
 * '%' and '_' escaped by a backslash, so they match only themselves. 0, or -1
 * with *err filled (field "q").
 */
int editor_search_parse(const char *s, struct pgarr *words, struct editor_error *err)
    __attribute__((warn_unused_result));

#endif
