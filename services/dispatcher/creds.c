/* Per-channel access tokens, resolved from references and cached. */
#include "creds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "log.h"
#include "pgarr.h"
#include "provider.h"
#include "secret.h"
#include "xmalloc.h"

#define CREDS_REFRESH_MIN_MS 5000

/* One channel: its token (NULL if the reference did not resolve). */
struct cred {
	long long id;
	char     *token;
	unsigned  gen;
	int64_t   refreshed_ms;
	double    rate;          /* channels.rate_per_sec */
};

struct creds {
	struct cred *v;
	size_t       n;
	int64_t      loaded_ms;   /* 0 = never */
};

struct creds *creds_new(void)
{
	return xcalloc(1, sizeof(struct creds));
}

/* Frees the tokens of an array of n entries, then the array. */
static void creds_array_free(struct cred *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].token);
	free(v);
}

void creds_free(struct creds *cr)
{
	if (cr == NULL)
		return;
	creds_array_free(cr->v, cr->n);
	free(cr);
}

/* The entry of channel_id, or NULL. */
static struct cred *creds_find(const struct creds *cr, long long channel_id)
{
	for (size_t i = 0; i < cr->n; i++)
		if (cr->v[i].id == channel_id)
			return &cr->v[i];
	return NULL;
}

/* Resolves a token reference; NULL (logged, without the secret) if it fails. */
static char *creds_resolve(long long channel_id, const char *ref)
{
	char err[256];
	char *tok = secret_resolve(ref, err, sizeof(err));

	if (tok == NULL)
		log_error("dispatch.token_unresolved", "channel %lld: %s", channel_id, err);
	return tok;
}

/* Sets e's token, bumping its generation if it changed. Takes ownership of tok. */
static void creds_set(struct cred *e, char *tok, unsigned old_gen, const char *old_tok)
{
	bool same = (tok == NULL && old_tok == NULL) ||
	            (tok != NULL && old_tok != NULL && strcmp(tok, old_tok) == 0);

	e->token = tok;
	e->gen = same ? old_gen : old_gen + 1;
}

int creds_load(struct creds *cr, struct db *db)
{
	struct pgarr kinds = { 0 };   /* the channel kinds a provider sends */
	struct cred *v;
	PGresult *res;
	int n;

	for (size_t i = 0; i < prov_count(); i++)
		pgarr_add(&kinds, prov_nth(i)->name);
	res = pgarr_exec(db, "SELECT id, token_ref, rate_per_sec FROM channels "
	                     "WHERE kind = ANY($1::text[])", &kinds, 1);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	v = xcalloc((size_t)n + 1, sizeof(*v));
	for (int i = 0; i < n; i++) {
		struct cred *old;
		v[i].id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		old = creds_find(cr, v[i].id);
		creds_set(&v[i], creds_resolve(v[i].id, PQgetvalue(res, i, 1)),
		          old ? old->gen : 0, old ? old->token : NULL);
		v[i].refreshed_ms = old ? old->refreshed_ms : 0;
		v[i].rate = strtod(PQgetvalue(res, i, 2), NULL);
	}
	PQclear(res);
	creds_array_free(cr->v, cr->n);
	cr->v = v;
	cr->n = (size_t)n;
	cr->loaded_ms = clock_mono_ms();
	log_info("dispatch.creds_loaded", "%d channel(s)", n);
	return 0;
}

bool creds_fresh(const struct creds *cr, int64_t max_age_ms)
{
	return cr->loaded_ms != 0 && clock_mono_ms() - cr->loaded_ms < max_age_ms;
}

bool creds_known(const struct creds *cr, long long channel_id)
{
	return creds_find(cr, channel_id) != NULL;
}

const char *creds_token(const struct creds *cr, long long channel_id, unsigned *gen)
{
	struct cred *e = creds_find(cr, channel_id);

	if (e == NULL)
		return NULL;
	if (gen != NULL)
		*gen = e->gen;
	return e->token;
}

double creds_rate(const struct creds *cr, long long channel_id)
{
	struct cred *e = creds_find(cr, channel_id);

	return e != NULL ? e->rate : 0;
}

int creds_refresh(struct creds *cr, struct db *db, long long channel_id)
{
	struct cred *e = creds_find(cr, channel_id);
	char idbuf[24];
	const char *params[1] = { idbuf };
	PGresult *res;
	char *old;
	int64_t now = clock_mono_ms();

	if (e == NULL || (e->refreshed_ms != 0 && now - e->refreshed_ms < CREDS_REFRESH_MIN_MS))
		return 0;
	snprintf(idbuf, sizeof(idbuf), "%lld", channel_id);
	res = db_exec(db, "SELECT token_ref FROM channels WHERE id = $1::bigint", 1, params);
	if (res == NULL)
		return -1;
	e->refreshed_ms = now;
	if (PQntuples(res) == 1) {
		old = e->token;
		creds_set(e, creds_resolve(channel_id, PQgetvalue(res, 0, 0)), e->gen, old);
		free(old);
	}
	PQclear(res);
	log_info("dispatch.creds_refreshed", "channel %lld: token generation %u", channel_id,
	         e->gen);
	return 0;
}
