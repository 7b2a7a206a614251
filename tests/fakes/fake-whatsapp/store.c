/* In-memory state of the fake: accepted messages, counters, windows. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "errors.h"
#include "hmap.h"
#include "recs.h"
#include "xmalloc.h"

/* One open (or expired) window: the time of the last inbound message. */
struct window {
	char    *key;        /* "<phone_number_id>/<wa_id>" */
	int64_t  last_ms;
};

struct store {
	struct recs       *recs;
	struct store_stats stats;
	char               id_prefix[17];  /* random per process, so runs never reuse ids */
	char               wamid_prefix[32];
	unsigned long      id_seq;
	struct hmap        windows;        /* key -> struct window */
};

struct store *store_new(void)
{
	struct store *st = xcalloc(1, sizeof(*st));
	st->recs = recs_new();
	random_hex(st->id_prefix, 8);
	snprintf(st->wamid_prefix, sizeof(st->wamid_prefix), "wamid.HBgL%s", st->id_prefix);
	return st;
}

void store_wamid(struct store *st, char out[STORE_WAMID_LEN])
{
	snprintf(out, STORE_WAMID_LEN, "%s%012lX", st->wamid_prefix, ++st->id_seq);
}

void store_free(struct store *st)
{
	if (st == NULL)
		return;
	store_windows_clear(st);
	recs_free(st->recs);
	free(st);
}

bool store_accept(struct store *st, const char *phone_number_id, const json_t *msg,
                  int64_t now_ms, char wamid[STORE_WAMID_LEN])
{
	bool dup;

	store_wamid(st, wamid);
	dup = recs_add(st->recs, phone_number_id, msg, st->id_seq, now_ms);
	st->stats.accepted++;
	st->stats.duplicates += dup;
	if (st->stats.first_accepted_ms == 0)
		st->stats.first_accepted_ms = now_ms;
	st->stats.last_accepted_ms = now_ms;
	return dup;
}

void store_reject(struct store *st, int code, bool injected)
{
	st->stats.rejected++;
	st->stats.injected += injected;
	if (code == WAERR_THROUGHPUT)
		st->stats.throttled_130429++;
	else if (code == WAERR_PAIR_RATE)
		st->stats.throttled_131056++;
}

const struct store_stats *store_stats(const struct store *st)
{
	return &st->stats;
}

void store_stats_reset(struct store *st)
{
	memset(&st->stats, 0, sizeof(st->stats));
}

long store_accepted(const struct store *st)
{
	return st->stats.accepted;
}

long store_rejected(const struct store *st)
{
	return st->stats.rejected;
}

size_t store_count(const struct store *st)
{
	return recs_count(st->recs);
}

json_t *store_messages(const struct store *st, const char *to, const char *pnid)
{
	json_t *out = json_array();

	recs_dump(st->recs, to, pnid, st->wamid_prefix, out);
	return out;
}

void store_clear(struct store *st)
{
	recs_clear(st->recs);
}

/* The window of (phone_number_id, wa_id), or NULL. */
static struct window *window_find(const struct store *st, const char *phone_number_id,
                                  const char *wa_id)
{
	char *key = xasprintf("%s/%s", phone_number_id, wa_id);
	struct window *w = hmap_get(&st->windows, key);

	free(key);
	return w;
}

void store_window_touch(struct store *st, const char *phone_number_id,
                        const char *wa_id, int64_t now_ms)
{
	struct window *w = window_find(st, phone_number_id, wa_id);

	if (w == NULL) {
		w = xcalloc(1, sizeof(*w));
		w->key = xasprintf("%s/%s", phone_number_id, wa_id);
		hmap_put(&st->windows, w->key, w);
	}
	if (now_ms > w->last_ms)
		w->last_ms = now_ms;
}

bool store_window_is_open(const struct store *st, const char *phone_number_id,
                          const char *wa_id, int64_t now_ms)
{
	const struct window *w = window_find(st, phone_number_id, wa_id);

	return w != NULL && now_ms - w->last_ms < STORE_WINDOW_MS;
}

void store_windows_clear(struct store *st)
{
	const struct hmap_ent *e;
	size_t pos = 0;

	while ((e = hmap_next(&st->windows, &pos)) != NULL) {
		struct window *w = e->val;
		free(w->key);
		free(w);
	}
	hmap_free(&st->windows);
}
