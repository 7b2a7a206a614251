/* The stopped notices' watch and the senders' state writer; see stopwatch.h. */
#include "stopwatch.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "hmap.h"
#include "instance.h"
#include "log.h"
#include "pgarr.h"
#include "sleeper.h"
#include "xmalloc.h"

#define SW_SENDERS_MS 5000   /* sender_state written this often */

struct stopwatch {
	const struct instance *inst;
	struct db *db;
	long poll_ms;
	pthread_t thread;
	struct sleeper sl;           /* its mu also guards the hand-over below */
	/* the watch thread's view */
	char *last;                  /* the last set read, as "id:state," text */
	/* handed over under sl.mu */
	struct hmap *pending;        /* a new set for the main thread, or NULL */
	struct sw_sender *senders;   /* the senders' state to write, or NULL */
	size_t nsenders;
	/* the main thread's */
	struct hmap *cur;
};

/* Frees a set (its keys are owned). */
static void sw_set_free(struct hmap *set)
{
	const struct hmap_ent *e;
	size_t pos = 0;

	if (set == NULL)
		return;
	while ((e = hmap_next(set, &pos)) != NULL)
		free((char *)e->key);
	hmap_free(set);
	free(set);
}

/* Reads the stopped notices: a new set and its text (caller frees), or -1. */
static int sw_read(struct stopwatch *sw, struct hmap **set, char **text)
{
	PGresult *res = db_exec(sw->db, "SELECT id::text, status FROM notices WHERE status = 'paused' "
	                                "OR (status = 'cancelled' AND updated_at > now() - "
	                                "interval '1 hour') ORDER BY id", 0, NULL);
	size_t len = 0, cap = 64;

	if (res == NULL)
		return -1;
	*set = xcalloc(1, sizeof(**set));
	*text = xmalloc(cap);
	(*text)[0] = '\0';
	for (int i = 0; i < PQntuples(res); i++) {
		const char *id = PQgetvalue(res, i, 0);
		bool paused = PQgetvalue(res, i, 1)[0] == 'p';
		hmap_put(*set, xstrdup(id), (void *)(intptr_t)(paused ? SW_PAUSED : SW_CANCELLED));
		if (len + 48 > cap) {
			cap = cap * 2 + 48;
			*text = xrealloc(*text, cap);
		}
		len += (size_t)snprintf(*text + len, cap - len, "%s:%c,", id, paused ? 'p' : 'c');
	}
	PQclear(res);
	return 0;
}

/* One poll: a changed set is handed to the main thread. */
static void sw_poll(struct stopwatch *sw)
{
	struct hmap *set;
	char *text;

	if (sw_read(sw, &set, &text) != 0)
		return;
	if (sw->last != NULL && strcmp(text, sw->last) == 0) {
		sw_set_free(set);
		free(text);
		return;
	}
	free(sw->last);
	sw->last = text;
	pthread_mutex_lock(&sw->sl.mu);
	sw_set_free(sw->pending);
	sw->pending = set;
	pthread_mutex_unlock(&sw->sl.mu);
}

/* Writes the senders' state handed over by the main thread, if any. */
static void sw_write_senders(struct stopwatch *sw)
{
	static const char sql[] =
	    "INSERT INTO sender_state (channel_id, instance_id, rate, queued, deferred, halted,"
	    "                          updated_at)"
	    " SELECT u.c, $6::uuid, u.r, u.q, u.d, u.h, now()"
	    "   FROM unnest($1::bigint[], $2::float8[], $3::integer[], $4::integer[],"
	    "               $5::boolean[]) AS u(c, r, q, d, h)"
	    " ON CONFLICT (channel_id) DO UPDATE SET instance_id = EXCLUDED.instance_id,"
	    "   rate = EXCLUDED.rate, queued = EXCLUDED.queued, deferred = EXCLUDED.deferred,"
	    "   halted = EXCLUDED.halted, updated_at = now()";
	struct pgarr col[5] = { { 0 } };
	const char *tail[1] = { instance_id(sw->inst) };
	struct sw_sender *v;
	size_t n;
	char rate[32];
	PGresult *res;

	pthread_mutex_lock(&sw->sl.mu);
	v = sw->senders;
	n = sw->nsenders;
	sw->senders = NULL;
	sw->nsenders = 0;
	pthread_mutex_unlock(&sw->sl.mu);
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		snprintf(rate, sizeof(rate), "%.3f", v[i].rate);
		pgarr_add_int(&col[0], v[i].channel_id, 0);
		pgarr_add(&col[1], rate);
		pgarr_add_int(&col[2], v[i].queued, 0);
		pgarr_add_int(&col[3], v[i].deferred, 0);
		pgarr_add(&col[4], v[i].halted ? "t" : "f");
	}
	free(v);
	if (n == 0) {
		pgarr_free(col, 5);
		return;
	}
	res = pgarr_exec_with(sw->db, sql, col, 5, tail, 1);
	if (res == NULL)
		log_warn("dispatch.sender_state", "senders' state not written (PostgreSQL)");
	PQclear(res);
}

static void *sw_main(void *arg)
{
	struct stopwatch *sw = arg;
	int64_t next_senders = 0;

	do {
		sw_poll(sw);
		if (clock_mono_ms() >= next_senders) {
			sw_write_senders(sw);
			next_senders = clock_mono_ms() + SW_SENDERS_MS;
		}
	} while (!sleeper_sleep(&sw->sl, sw->poll_ms));
	return NULL;
}

struct stopwatch *sw_start(const char *dsn, long poll_ms, const struct instance *inst)
{
	struct stopwatch *sw = xcalloc(1, sizeof(*sw));

	sw->inst = inst;
	sw->poll_ms = poll_ms;
	sw->db = db_new(dsn);
	db_set_timeout(sw->db, 2000);   /* a poll must not outlast a few of them */
	sw->cur = xcalloc(1, sizeof(*sw->cur));
	sleeper_init(&sw->sl);
	if (pthread_create(&sw->thread, NULL, sw_main, sw) != 0) {
		log_error("dispatch.start_failed", "cannot start the stopped-notices watch");
		db_free(sw->db);
		free(sw->cur);
		free(sw);
		return NULL;
	}
	return sw;
}

void sw_stop(struct stopwatch *sw)
{
	if (sw == NULL)
		return;
	sleeper_stop(&sw->sl);
	pthread_join(sw->thread, NULL);
	sw_set_free(sw->pending);
	sw_set_free(sw->cur);
	free(sw->senders);
	free(sw->last);
	db_free(sw->db);
	sleeper_destroy(&sw->sl);
	free(sw);
}

bool sw_changed(struct stopwatch *sw)
{
	struct hmap *set;

	pthread_mutex_lock(&sw->sl.mu);
	set = sw->pending;
	sw->pending = NULL;
	pthread_mutex_unlock(&sw->sl.mu);
	if (set == NULL)
		return false;
	sw_set_free(sw->cur);
	sw->cur = set;
	return true;
}

enum sw_state sw_state(struct stopwatch *sw, const char *notice_id)
{
	if (notice_id == NULL || notice_id[0] == '\0')
		return SW_RUNNING;
	return (enum sw_state)(intptr_t)hmap_get(sw->cur, notice_id);
}

void sw_senders(struct stopwatch *sw, const struct sw_sender *v, size_t n)
{
	struct sw_sender *copy = xcalloc(n ? n : 1, sizeof(*copy));

	memcpy(copy, v, n * sizeof(*copy));
	pthread_mutex_lock(&sw->sl.mu);
	free(sw->senders);
	sw->senders = copy;
	sw->nsenders = n;
	pthread_mutex_unlock(&sw->sl.mu);
}
