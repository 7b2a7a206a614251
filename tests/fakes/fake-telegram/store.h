/*
 * What the fake remembers: every accepted message (as the JSON record
 * GET /_fake/messages returns), counters, the private chats that started
 * the bot (and which of them blocked it), the public channels the bot may
 * post to, injected faults, and the update and message id sequences.
 */
#ifndef FAKE_TG_STORE_H
#define FAKE_TG_STORE_H

#include <jansson.h>
#include <stdbool.h>

#define STORE_NAME_MAX 64

struct store;

/* What a private chat did with the bot. */
enum chat_state {
	CHAT_UNKNOWN = 0,   /* never pressed Start: the bot cannot write first */
	CHAT_STARTED,       /* may receive messages */
	CHAT_BLOCKED,       /* blocked the bot */
	CHAT_DEACTIVATED,   /* deleted their account */
};

/* A public channel where the bot is an administrator. */
struct store_channel {
	char      name[STORE_NAME_MAX];   /* "@comunedemo" */
	long long id;                     /* -100... */
};

struct store *store_new(void);
void store_free(struct store *st);

/*
 * Adds the channels of a spec "@name[:id],..." (FAKE_TG_CHANNELS); an id
 * left out is derived from the name. -1 with err set if malformed.
 */
int store_channels_parse(struct store *st, const char *spec, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* The channel called name ("@x", case-insensitive) or with id; NULL if none. */
const struct store_channel *store_channel_by_name(const struct store *st, const char *name);
const struct store_channel *store_channel_by_id(const struct store *st, long long id);

enum chat_state store_chat(const struct store *st, long long chat_id);
void store_chat_set(struct store *st, long long chat_id, enum chat_state state);

/* The next message id (sendMessage) and update id (webhook), increasing. */
long long store_next_message_id(struct store *st);
long long store_next_update_id(struct store *st);

/* Appends an accepted message record; takes ownership of rec. */
void store_record(struct store *st, json_t *rec);
/* Counts a send request that was refused, and an update sent. */
void store_reject(struct store *st);
void store_update_sent(struct store *st);
long store_accepted(const struct store *st);
long store_rejected(const struct store *st);
long store_updates(const struct store *st);
/* All records, or those whose chat_id (as sent, or as the numeric id) is
 * chat. A new reference to read and serialize, not to modify. */
json_t *store_messages(const struct store *st, const char *chat);
/* Forgets every recorded message (the counters stay). */
void store_clear(struct store *st);

/* An injected fault: what the next matching sendMessage answers. */
struct store_fault {
	int       code;          /* error_code / HTTP status */
	char     *description;   /* NULL: the usual one for code */
	long      retry_after;   /* parameters.retry_after when > 0 */
	long long migrate_to;    /* parameters.migrate_to_chat_id when != 0 */
};

/*
 * The next `count` sendMessage requests to chat (as sent, e.g. "123" or
 * "@name"; NULL or empty = any chat) answer with f (copied) before any
 * validation.
 */
void store_fault_add(struct store *st, const struct store_fault *f, long count,
                     const char *chat);
/* Takes one matching fault into *out (description owned by the store until
 * the next call); false if none is pending. */
bool store_fault_take(struct store *st, const char *chat, struct store_fault *out);
void store_faults_clear(struct store *st);

#endif
