/* In-memory records of the fake: messages, chats, channels, faults, ids. */
#include "store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "hmap.h"
#include "xmalloc.h"

/* A private chat the fake has heard of. */
struct chat {
	char            key[24];   /* its id in decimal */
	enum chat_state state;
};

/* A pending injected fault. */
struct fault {
	struct fault      *next;
	struct store_fault f;
	long               count;
	char              *chat;     /* NULL: any chat */
};

struct store {
	json_t               *messages;   /* array of records, in acceptance order */
	long                  accepted;
	long                  rejected;
	long                  updates;
	long long             message_seq;
	long long             update_seq;
	struct store_channel *channels;
	size_t                nchannels;
	struct fault         *faults;     /* in the order they were added */
	char                 *taken_desc; /* description of the last fault taken */
	struct hmap           chats;      /* id -> struct chat */
};

struct store *store_new(void)
{
	struct store *st = xcalloc(1, sizeof(*st));

	st->messages = json_array();
	/* Update ids keep increasing across restarts of the fake (below ten
	 * updates a second), so a receiver's dedupe on them stays right, and
	 * fit in 31 bits for years, as Telegram's do. */
	st->update_seq = (clock_wall_ms() / 1000 - 1750000000LL) * 10;
	return st;
}

void store_free(struct store *st)
{
	const struct hmap_ent *e;
	size_t pos = 0;

	if (st == NULL)
		return;
	while ((e = hmap_next(&st->chats, &pos)) != NULL)
		free(e->val);
	hmap_free(&st->chats);
	store_faults_clear(st);
	free(st->taken_desc);
	free(st->channels);
	json_decref(st->messages);
	free(st);
}

/* true if s is a channel username: '@' then 5..32 of [A-Za-z0-9_]. */
static bool channel_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (s[0] != '@' || n < 6 || n > 33)
		return false;
	for (s++; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* A stable -100... id for a channel name (FNV-1a of the name, folded). */
static long long channel_default_id(const char *name)
{
	unsigned long long h = 14695981039346656037ULL;

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)tolower((unsigned char)*name)) * 1099511628211ULL;
	return -(1000000000000LL + (long long)(h % 1000000000ULL));
}

/* Adds one "@name[:id]" entry. */
static int channel_add(struct store *st, char *entry, char *err, size_t errlen)
{
	char *colon = strchr(entry, ':'), *end;
	struct store_channel *ch;
	long long id = 0;

	if (colon != NULL) {
		*colon = '\0';
		id = strtoll(colon + 1, &end, 10);
		if (end == colon + 1 || *end != '\0' || id > -1000000000000LL) {
			snprintf(err, errlen, "channel %s: id must be -100... (got %s)", entry, colon + 1);
			return -1;
		}
	}
	if (!channel_name_ok(entry)) {
		snprintf(err, errlen, "bad channel name \"%s\": want @ and 5..32 of A-Za-z0-9_",
		         entry);
		return -1;
	}
	st->channels = xrealloc(st->channels, (st->nchannels + 1) * sizeof(*st->channels));
	ch = &st->channels[st->nchannels++];
	snprintf(ch->name, sizeof(ch->name), "%s", entry);
	ch->id = id != 0 ? id : channel_default_id(entry);
	return 0;
}

int store_channels_parse(struct store *st, const char *spec, char *err, size_t errlen)
{
	char *copy = xstrdup(spec ? spec : ""), *save = NULL, *tok;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end = tok + strlen(tok);
		while (isspace((unsigned char)*tok))
			tok++;
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*tok != '\0')
			rc = channel_add(st, tok, err, errlen);
	}
	free(copy);
	return rc;
}

const struct store_channel *store_channel_by_name(const struct store *st, const char *name)
{
	for (size_t i = 0; i < st->nchannels; i++)
		if (strcasecmp(st->channels[i].name, name) == 0)
			return &st->channels[i];
	return NULL;
}

const struct store_channel *store_channel_by_id(const struct store *st, long long id)
{
	for (size_t i = 0; i < st->nchannels; i++)
		if (st->channels[i].id == id)
			return &st->channels[i];
	return NULL;
}

/* The chat with id, or NULL. */
static struct chat *chat_find(const struct store *st, long long id)
{
	char key[24];

	snprintf(key, sizeof(key), "%lld", id);
	return hmap_get(&st->chats, key);
}

enum chat_state store_chat(const struct store *st, long long chat_id)
{
	const struct chat *c = chat_find(st, chat_id);
	return c != NULL ? c->state : CHAT_UNKNOWN;
}

void store_chat_set(struct store *st, long long chat_id, enum chat_state state)
{
	struct chat *c = chat_find(st, chat_id);

	if (c == NULL) {
		c = xcalloc(1, sizeof(*c));
		snprintf(c->key, sizeof(c->key), "%lld", chat_id);
		hmap_put(&st->chats, c->key, c);
	}
	c->state = state;
}

long long store_next_message_id(struct store *st)
{
	return ++st->message_seq;
}

long long store_next_update_id(struct store *st)
{
	return ++st->update_seq;
}

void store_record(struct store *st, json_t *rec)
{
	json_array_append_new(st->messages, rec);
	st->accepted++;
}

void store_reject(struct store *st)
{
	st->rejected++;
}

void store_update_sent(struct store *st)
{
	st->updates++;
}

long store_accepted(const struct store *st)
{
	return st->accepted;
}

long store_rejected(const struct store *st)
{
	return st->rejected;
}

long store_updates(const struct store *st)
{
	return st->updates;
}

/* true if a record was sent to chat (by the name used or the numeric id). */
static bool record_matches(const json_t *rec, const char *chat)
{
	const char *sent = json_string_value(json_object_get(rec, "chat_id"));
	json_int_t id = json_integer_value(json_object_get(json_object_get(rec, "chat"), "id"));
	char num[24];

	if (sent != NULL && strcasecmp(sent, chat) == 0)
		return true;
	snprintf(num, sizeof(num), "%lld", (long long)id);
	return strcmp(num, chat) == 0;
}

json_t *store_messages(const struct store *st, const char *chat)
{
	json_t *out, *rec;
	size_t i;

	if (chat == NULL)
		return json_incref(st->messages);
	out = json_array();
	json_array_foreach(st->messages, i, rec) {
		if (record_matches(rec, chat))
			json_array_append(out, rec);
	}
	return out;
}

void store_clear(struct store *st)
{
	json_array_clear(st->messages);
}

void store_fault_add(struct store *st, const struct store_fault *f, long count,
                     const char *chat)
{
	struct fault *nf = xcalloc(1, sizeof(*nf)), **tail = &st->faults;

	nf->f = *f;
	nf->f.description = f->description ? xstrdup(f->description) : NULL;
	nf->count = count;
	nf->chat = chat && *chat ? xstrdup(chat) : NULL;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = nf;
}

/* Frees one fault. */
static void fault_free(struct fault *f)
{
	free(f->f.description);
	free(f->chat);
	free(f);
}

bool store_fault_take(struct store *st, const char *chat, struct store_fault *out)
{
	struct fault **pp, *f;

	for (pp = &st->faults; (f = *pp) != NULL; pp = &f->next) {
		if (f->chat != NULL && (chat == NULL || strcasecmp(f->chat, chat) != 0))
			continue;
		free(st->taken_desc);
		st->taken_desc = f->f.description ? xstrdup(f->f.description) : NULL;
		*out = f->f;
		out->description = st->taken_desc;
		if (--f->count <= 0) {
			*pp = f->next;
			fault_free(f);
		}
		return true;
	}
	return false;
}

void store_faults_clear(struct store *st)
{
	struct fault *f, *next;

	for (f = st->faults; f != NULL; f = next) {
		next = f->next;
		fault_free(f);
	}
	st->faults = NULL;
}
