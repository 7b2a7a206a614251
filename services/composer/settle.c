/* Notices from 'sending' to 'sent' once their jobs are settled; see settle.h. */
#include "settle.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "hmap.h"
#include "log.h"
#include "xmalloc.h"

#define SETTLE_PER_S   50000   /* recipients per second of wait between checks */
#define SETTLE_MAX_MS  30000

/* When a notice is looked at next. */
struct settle_due {
	char *id;
	int64_t next_ms;
	unsigned seen;          /* the pass it was last listed in */
};

struct settle {
	struct hmap due;        /* notice id -> struct settle_due */
	unsigned pass;
};

struct settle *settle_new(void)
{
	return xcalloc(1, sizeof(struct settle));
}

/* Drops the entries of notices no longer listed (keep: the current pass). */
static void settle_sweep(struct settle *st, bool all)
{
	struct hmap keep = { 0 };
	const struct hmap_ent *e;
	size_t pos = 0;

	while ((e = hmap_next(&st->due, &pos)) != NULL) {
		struct settle_due *d = e->val;
		if (!all && d->seen == st->pass) {
			hmap_put(&keep, d->id, d);
			continue;
		}
		free(d->id);
		free(d);
	}
	hmap_free(&st->due);
	st->due = keep;
}

void settle_free(struct settle *st)
{
	if (st == NULL)
		return;
	settle_sweep(st, true);
	free(st);
}

/* How long to wait before looking at a notice of that many recipients again. */
static int64_t settle_interval_ms(long recipients)
{
	int64_t ms = 1000 + (int64_t)recipients * 1000 / SETTLE_PER_S;

	return ms < SETTLE_MAX_MS ? ms : SETTLE_MAX_MS;
}

/* The notice's jobs are all settled: 'sent'. 1 changed, 0 not yet, -1 failed. */
static int settle_one(struct db *db, const char *id)
{
	const char *params[1] = { id };
	PGresult *res = db_exec(db,
	    "UPDATE notices n SET status = 'sent', updated_at = now() WHERE n.id = $1::uuid "
	    "AND n.status = 'sending' AND n.fanout_done_at IS NOT NULL AND n.recipients <= "
	    "(SELECT count(*) FROM deliveries d WHERE d.notice_id = n.id AND d.purpose = 'notice' "
	    "AND d.status IN ('sent', 'delivered', 'read', 'failed', 'dead', 'skipped', "
	    "'cancelled'))", 1, params);
	int rows;

	if (res == NULL)
		return -1;
	rows = atoi(PQcmdTuples(res));
	PQclear(res);
	if (rows == 1) {
		struct log_fields f = LOG_FIELDS_INIT;
		lf_str(&f, "notice_id", id);
		log_info_f("notice.settled", &f, "notice %s: every job settled, sent", id);
	}
	return rows;
}

int settle_pass(struct settle *st, struct db *db)
{
	PGresult *res = db_exec(db, "SELECT id, recipients FROM notices WHERE status = 'sending' "
	                            "AND fanout_done_at IS NOT NULL ORDER BY id LIMIT 1000",
	                        0, NULL);
	int64_t now = clock_mono_ms();
	int rc = 0;

	if (res == NULL)
		return -1;
	st->pass++;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		const char *id = PQgetvalue(res, i, 0);
		struct settle_due *d = hmap_get(&st->due, id);
		if (d == NULL) {
			d = xcalloc(1, sizeof(*d));
			d->id = xstrdup(id);
			hmap_put(&st->due, d->id, d);
		}
		d->seen = st->pass;
		if (now < d->next_ms)
			continue;
		if (settle_one(db, id) < 0)
			rc = -1;
		d->next_ms = now + settle_interval_ms(atol(PQgetvalue(res, i, 1)));
	}
	PQclear(res);
	settle_sweep(st, false);
	return rc;
}
