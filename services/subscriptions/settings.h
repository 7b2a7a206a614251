/*
 * What subscriptions needs to know about a channel and its comune:
 * texts, keyword lists, topics. Loaded from PostgreSQL and kept for
 * SETTINGS_TTL_MS, so a change made with banditorectl applies within
 * that time without a restart.
 */
#ifndef BND_SETTINGS_H
#define BND_SETTINGS_H

#include <stdint.h>

#include "commands.h"
#include "db.h"
#include "events.h"
#include "keywords.h"

#define SETTINGS_TTL_MS 5000

struct topic {
	char *slug, *name, *keyword;
};

struct settings {
	long long channel_id;
	int64_t loaded_ms;
	channel_kind kind;
	const struct commands *cmds;        /* how citizens write on it (commands.h) */
	char *comune_id, *comune_name, *contact;
	char *sender, *welcome, *goodbye, *confirm_tpl, *tpl_lang;
	char *kw_join, *kw_leave, *kw_topics, *kw_help;
	long auto_reply_every_s;
	struct topic *topics;
	size_t ntopics;
	struct kw_topic *kw_topics_table;   /* the same topics, as kw_parse wants them */
	struct kw_lists lists;
	struct settings *next;
};

/* The settings read lately, per channel; zero-initialized = empty. One thread's. */
struct settings_cache {
	struct settings *head;
};

enum {
	SETTINGS_NO_CHANNEL = 1,     /* no such channel */
	SETTINGS_UNKNOWN_KIND = 2,   /* its kind has no entry in commands.c */
};

/*
 * The channel's settings, from sc or PostgreSQL. Returns 0 with *out set
 * (owned by sc, valid until the next settings_get on it),
 * SETTINGS_NO_CHANNEL, SETTINGS_UNKNOWN_KIND, or -1 if PostgreSQL failed.
 */
int settings_get(struct settings_cache *sc, struct db *db, long long channel_id,
                 const struct settings **out) __attribute__((warn_unused_result));
/* The display name of a topic slug, or the slug itself. */
const char *settings_topic_name(const struct settings *st, const char *slug);
/* Frees every entry of sc; sc is then empty. */
void settings_cache_clear(struct settings_cache *sc);

#endif
