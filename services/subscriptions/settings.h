/*
 * What subscriptions needs to know about a channel and its comune:
 * texts, keyword lists, topics. Loaded from PostgreSQL and kept for
 * SETTINGS_TTL_MS, so a change made with banditorectl applies within
 * that time without a restart.
 */
#ifndef BND_SETTINGS_H
#define BND_SETTINGS_H

#include <stdint.h>

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
	Banditore__V1__ChannelKind kind;
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

/*
 * The channel's settings, from the cache or PostgreSQL. Returns 0 with
 * *out set (owned by the cache, valid until the next settings_get), 1 if
 * there is no such channel, -1 if PostgreSQL failed.
 */
int settings_get(struct db *db, long long channel_id, const struct settings **out)
    __attribute__((warn_unused_result));
/* The display name of a topic slug, or the slug itself. */
const char *settings_topic_name(const struct settings *st, const char *slug);
void settings_free_all(void);

#endif
