/* Channel and comune settings, cached. */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "xmalloc.h"

/* Frees one entry. */
static void settings_free(struct settings *st)
{
	char **strs[] = { &st->comune_id, &st->comune_name, &st->contact, &st->sender,
	                  &st->welcome, &st->goodbye, &st->confirm_tpl, &st->tpl_lang,
	                  &st->kw_join, &st->kw_leave, &st->kw_topics, &st->kw_help };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	for (size_t i = 0; i < st->ntopics; i++) {
		free(st->topics[i].slug);
		free(st->topics[i].name);
		free(st->topics[i].keyword);
	}
	free(st->topics);
	free(st->kw_topics_table);
	free(st);
}

/* Fills the channel and comune columns. 0, SETTINGS_NO_CHANNEL,
 * SETTINGS_UNKNOWN_KIND or -1 on failure. */
static int load_channel(struct db *db, struct settings *st)
{
	static const char sql[] =
	    "SELECT c.id, c.name, c.contact_text, ch.kind, ch.sender_account, ch.welcome_text,"
	    "       ch.goodbye_text, ch.wa_confirm_template, ch.wa_template_lang,"
	    "       array_to_string(c.join_keywords, ' '), array_to_string(c.leave_keywords, ' '),"
	    "       array_to_string(c.topics_keywords, ' '), array_to_string(c.help_keywords, ' '),"
	    "       c.auto_reply_every_s"
	    "  FROM channels ch JOIN comuni c ON c.id = ch.comune_id WHERE ch.id = $1::bigint";
	char id[24];
	const char *params[1] = { id };
	char **dst[] = { &st->comune_id, &st->comune_name, &st->contact, NULL, &st->sender,
	                 &st->welcome, &st->goodbye, &st->confirm_tpl, &st->tpl_lang,
	                 &st->kw_join, &st->kw_leave, &st->kw_topics, &st->kw_help };
	PGresult *res;

	snprintf(id, sizeof(id), "%lld", st->channel_id);
	res = db_exec(db, sql, 1, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return SETTINGS_NO_CHANNEL;
	}
	if (channel_kind_parse(PQgetvalue(res, 0, 3), &st->kind) != 0 ||
	    (st->cmds = commands_of(st->kind)) == NULL) {
		log_error("settings.unknown_kind", "channel %lld: kind \"%s\" is not one "
		          "subscriptions knows", st->channel_id, PQgetvalue(res, 0, 3));
		PQclear(res);
		return SETTINGS_UNKNOWN_KIND;
	}
	for (int i = 0; i < 13; i++)
		if (dst[i] != NULL)
			*dst[i] = xstrdup(PQgetvalue(res, 0, i));
	st->auto_reply_every_s = atol(PQgetvalue(res, 0, 13));
	PQclear(res);
	return 0;
}

/* Fills the comune's topics. 0 or -1. */
static int load_topics(struct db *db, struct settings *st)
{
	const char *params[1] = { st->comune_id };
	PGresult *res = db_exec(db, "SELECT slug, name, keyword FROM topics WHERE comune_id = $1 "
	                            "ORDER BY slug", 1, params);
	if (res == NULL)
		return -1;
	st->ntopics = (size_t)PQntuples(res);
	st->topics = xcalloc(st->ntopics, sizeof(*st->topics));
	st->kw_topics_table = xcalloc(st->ntopics, sizeof(*st->kw_topics_table));
	for (size_t i = 0; i < st->ntopics; i++) {
		st->topics[i].slug = xstrdup(PQgetvalue(res, (int)i, 0));
		st->topics[i].name = xstrdup(PQgetvalue(res, (int)i, 1));
		st->topics[i].keyword = xstrdup(PQgetvalue(res, (int)i, 2));
		st->kw_topics_table[i].slug = st->topics[i].slug;
		st->kw_topics_table[i].keyword = st->topics[i].keyword;
	}
	PQclear(res);
	return 0;
}

/* Loads a fresh entry: 0, or what load_channel returned. */
static int settings_load(struct db *db, long long channel_id, struct settings **out)
{
	struct settings *st = xcalloc(1, sizeof(*st));
	int rc;

	st->channel_id = channel_id;
	rc = load_channel(db, st);
	if (rc == 0)
		rc = load_topics(db, st);
	if (rc != 0) {
		settings_free(st);
		return rc;
	}
	st->lists = (struct kw_lists){ st->kw_join, st->kw_leave, st->kw_topics, st->kw_help };
	st->loaded_ms = clock_mono_ms();
	*out = st;
	return 0;
}

int settings_get(struct settings_cache *sc, struct db *db, long long channel_id,
                 const struct settings **out)
{
	struct settings **pp = &sc->head, *st;
	int rc;

	for (; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->channel_id != channel_id)
			continue;
		if (clock_mono_ms() - (*pp)->loaded_ms < SETTINGS_TTL_MS) {
			*out = *pp;
			return 0;
		}
		st = *pp;              /* stale: unlink and reload */
		*pp = st->next;
		settings_free(st);
		break;
	}
	rc = settings_load(db, channel_id, &st);
	if (rc != 0)
		return rc;
	st->next = sc->head;
	sc->head = st;
	*out = st;
	return 0;
}

const char *settings_topic_name(const struct settings *st, const char *slug)
{
	for (size_t i = 0; i < st->ntopics; i++)
		if (strcmp(st->topics[i].slug, slug) == 0)
			return st->topics[i].name;
	return slug;
}

void settings_cache_clear(struct settings_cache *sc)
{
	while (sc->head != NULL) {
		struct settings *st = sc->head;
		sc->head = st->next;
		settings_free(st);
	}
}
