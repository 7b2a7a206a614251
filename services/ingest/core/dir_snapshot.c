/* Builds directory snapshots from the channels and api_keys tables. */
#include "core/dir_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "secret.h"
#include "xmalloc.h"
#include "core/form_comuni.h"

static const char SQL_CHANNELS[] =
    "SELECT id, comune_id, kind, sender_account, app_secret_ref FROM channels";
/* Only active keys: a revoked key disappears at the next refresh. The
 * identities of console staff (key_sha256 "staff:<uuid>", migration 0012)
 * are no keys: left out, so no Bearer header can ever stand for one. */
static const char SQL_KEYS[] =
    "SELECT id, comune_id, name, role, lower(key_sha256) FROM api_keys "
    "WHERE revoked_at IS NULL AND key_sha256 NOT LIKE 'staff:%'";

/* Copies src into a fixed buffer; false if it does not fit. */
static bool copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* Orders channels by kind, then sender account. */
static int channel_cmp(const void *a, const void *b)
{
	const struct dir_channel *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);
	return c != 0 ? c : strcmp(x->sender_account, y->sender_account);
}

/* Orders API keys by hash. */
static int key_cmp(const void *a, const void *b)
{
	const struct dir_api_key *x = a, *y = b;
	return strcmp(x->key_sha256, y->key_sha256);
}

/* Resolves a channel's app secret; warns only when the problem is new. */
static void resolve_secret(struct dir_channel *ch, const char *ref,
                           const struct dir_snapshot *prev)
{
	const struct dir_channel *old = prev ? dir_snapshot_channel(prev, ch->kind,
	                                                           ch->sender_account) : NULL;
	bool news = old == NULL || old->app_secret_len > 0;
	char err[256];
	char *secret;

	ch->app_secret_len = 0;
	if (*ref == '\0')
		return;
	secret = secret_resolve(ref, err, sizeof(err));
	if (secret == NULL) {
		if (news)
			log_warn("directory.secret_unavailable", "channel %lld: %s", ch->id, err);
		return;
	}
	if (!copy_field(ch->app_secret, sizeof(ch->app_secret), secret)) {
		if (news)
			log_warn("directory.secret_too_long", "channel %lld: app secret over %d bytes",
			         ch->id, DIR_SECRET_MAX - 1);
	} else {
		ch->app_secret_len = strlen(secret);
	}
	explicit_bzero(secret, strlen(secret));
	free(secret);
}

/* Fills snap->channels from a result. */
static void load_channels(struct dir_snapshot *snap, PGresult *res,
                          const struct dir_snapshot *prev)
{
	int n = PQntuples(res);

	snap->channels = xcalloc((size_t)n + 1, sizeof(*snap->channels));
	for (int r = 0; r < n; r++) {
		struct dir_channel *ch = &snap->channels[snap->nchannels];

		ch->id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		if (!copy_field(ch->comune_id, sizeof(ch->comune_id), PQgetvalue(res, r, 1)) ||
		    !copy_field(ch->kind, sizeof(ch->kind), PQgetvalue(res, r, 2)) ||
		    !copy_field(ch->sender_account, sizeof(ch->sender_account),
		                PQgetvalue(res, r, 3))) {
			log_warn("directory.channel_skipped", "channel %lld: field too long", ch->id);
			memset(ch, 0, sizeof(*ch));
			continue;
		}
		resolve_secret(ch, PQgetvalue(res, r, 4), prev);
		snap->nchannels++;
	}
	qsort(snap->channels, snap->nchannels, sizeof(*snap->channels), channel_cmp);
}

/* Fills snap->keys from a result. */
static void load_keys(struct dir_snapshot *snap, PGresult *res)
{
	int n = PQntuples(res);

	snap->keys = xcalloc((size_t)n + 1, sizeof(*snap->keys));
	for (int r = 0; r < n; r++) {
		struct dir_api_key *key = &snap->keys[snap->nkeys];

		key->id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		if (!copy_field(key->comune_id, sizeof(key->comune_id), PQgetvalue(res, r, 1)) ||
		    !copy_field(key->name, sizeof(key->name), PQgetvalue(res, r, 2)) ||
		    !copy_field(key->role, sizeof(key->role), PQgetvalue(res, r, 3)) ||
		    !copy_field(key->key_sha256, sizeof(key->key_sha256), PQgetvalue(res, r, 4))) {
			log_warn("directory.key_skipped", "api key %lld: field too long", key->id);
			memset(key, 0, sizeof(*key));
			continue;
		}
		snap->nkeys++;
	}
	qsort(snap->keys, snap->nkeys, sizeof(*snap->keys), key_cmp);
}

struct dir_snapshot *dir_snapshot_load(struct db *db, const struct dir_snapshot *prev)
{
	struct dir_snapshot *snap = NULL;
	PGresult *chres, *keyres = NULL;

	chres = db_read(db, SQL_CHANNELS, 0, NULL);
	if (chres == NULL)
		goto done;
	keyres = db_read(db, SQL_KEYS, 0, NULL);
	if (keyres == NULL)
		goto done;
	snap = xcalloc(1, sizeof(*snap));
	if (form_comuni_load(db, &snap->comuni, &snap->ncomuni) != 0) {
		free(snap);
		snap = NULL;
		goto done;
	}
	load_channels(snap, chres, prev);
	load_keys(snap, keyres);
done:
	if (chres != NULL)
		PQclear(chres);
	if (keyres != NULL)
		PQclear(keyres);
	return snap;
}

void dir_snapshot_free(struct dir_snapshot *snap)
{
	if (snap == NULL)
		return;
	if (snap->channels != NULL)
		explicit_bzero(snap->channels, snap->nchannels * sizeof(*snap->channels));
	free(snap->channels);
	free(snap->keys);
	free(snap->comuni);
	free(snap);
}

const struct dir_channel *dir_snapshot_channel(const struct dir_snapshot *snap,
                                               const char *kind, const char *sender)
{
	struct dir_channel probe;

	if (!copy_field(probe.kind, sizeof(probe.kind), kind) ||
	    !copy_field(probe.sender_account, sizeof(probe.sender_account), sender))
		return NULL;
	return bsearch(&probe, snap->channels, snap->nchannels, sizeof(probe), channel_cmp);
}

/* Not constant-time, and need not be: the attacker controls the key, not
 * its SHA-256, so timing reveals nothing about stored hashes worth having. */
const struct dir_api_key *dir_snapshot_key(const struct dir_snapshot *snap,
                                           const char *key_sha256)
{
	struct dir_api_key probe;

	if (!copy_field(probe.key_sha256, sizeof(probe.key_sha256), key_sha256))
		return NULL;
	return bsearch(&probe, snap->keys, snap->nkeys, sizeof(probe), key_cmp);
}
