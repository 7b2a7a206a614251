/*
 * The directory: channels and API keys, an in-memory snapshot of
 * PostgreSQL refreshed by a background thread. The event loop only ever
 * copies entries out under a short mutex; it never waits for PostgreSQL.
 * If PostgreSQL is down the last snapshot stays in use.
 */
#ifndef BND_DIRECTORY_H
#define BND_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define DIR_ID_MAX 64       /* comune ids, sender accounts */
#define DIR_NAME_MAX 128
#define DIR_SECRET_MAX 256

/* A sender account of a comune (channels row). */
struct dir_channel {
	long long id;
	char      comune_id[DIR_ID_MAX];
	char      kind[16];                    /* "whatsapp" / "telegram" */
	char      sender_account[DIR_ID_MAX];
	char      app_secret[DIR_SECRET_MAX];  /* resolved app_secret_ref; never logged */
	size_t    app_secret_len;              /* 0: none or unresolvable */
};

/* An editors' API key that is not revoked (api_keys row). */
struct dir_api_key {
	long long id;
	char      comune_id[DIR_ID_MAX];
	char      name[DIR_NAME_MAX];
	char      role[16];
	char      key_sha256[SHA256_HEX_LEN + 1];
	bool      staff;        /* a person's identity, from a console session (never loaded
	                           here: set by console/session.c), not a key */
};

struct directory;

/* refresh_ms: period of the background reload. */
struct directory *dir_new(const char *dsn, long refresh_ms);
/* Starts the refresh thread (which loads right away). */
int dir_start(struct directory *dir) __attribute__((warn_unused_result));
/* Stops the thread (waits up to 2 s for a PostgreSQL call in progress)
 * and frees everything. NULL is allowed. */
void dir_free(struct directory *dir);
/* True once a snapshot has been loaded. */
bool dir_ready(struct directory *dir);
/* When (clock_mono_ms) the snapshot in use began loading; 0 before the
 * first. What was in PostgreSQL then is in it. */
int64_t dir_snapshot_ms(struct directory *dir);
/*
 * Copies the channel (kind, sender_account) into *out. A miss asks the
 * thread for an early refresh (at most once a second) and returns false.
 */
bool dir_channel_find(struct directory *dir, const char *kind,
                      const char *sender_account, struct dir_channel *out)
    __attribute__((warn_unused_result));
/* Same for a comune by id (the web form's view, form_comuni.h); out may
 * be NULL to ask only whether it exists. */
struct form_comune;
bool dir_comune_find(struct directory *dir, const char *id, struct form_comune *out)
    __attribute__((warn_unused_result));
/* Same for an API key by the lowercase hex SHA-256 of the key. */
bool dir_api_key_find(struct directory *dir, const char *key_sha256,
                      struct dir_api_key *out) __attribute__((warn_unused_result));

#endif
