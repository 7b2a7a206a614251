/* CAP alerts to draft notices; see draft.h. */
#include "draft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "log.h"
#include "match.h"
#include "metrics.h"
#include "nevents.h"
#include "place.h"
#include "staff.h"
#include "text.h"
#include "utf8.h"

#define MAX_AREAS 32

static struct metric m_alerts = METRIC_COUNTER("bnd_feeds_alerts_total",
                                               "CAP alerts recorded (each once)");
static struct metric m_dups = METRIC_COUNTER("bnd_feeds_alerts_seen_again_total",
                                             "CAP documents already recorded, read again");
static struct metric m_not_actual = METRIC_COUNTER(
    "bnd_feeds_not_actual_total", "CAP alerts not drafted: status Test, Exercise, System or Draft");
static struct metric m_invalid = METRIC_COUNTER(
    "bnd_feeds_invalid_total", "documents refused: not XML, not CAP 1.2 by its schema");
static struct metric m_drafts = METRIC_COUNTER("bnd_feeds_drafts_total",
                                               "urgent notices drafted (submitted where one approver may send them)");
static struct metric m_withdrawn = METRIC_COUNTER(
    "bnd_feeds_withdrawn_total", "pending drafts cancelled by an Update, a Cancel or expiry");

void draft_metrics(void)
{
	metrics_register(&m_alerts);
	metrics_register(&m_dups);
	metrics_register(&m_not_actual);
	metrics_register(&m_invalid);
	metrics_register(&m_drafts);
	metrics_register(&m_withdrawn);
}

/* One alert being handled, inside its transaction. */
struct job {
	struct feeds *f;
	const struct feed *fd;
	const struct cap_alert *a;
	const struct cap_info *info;   /* NULL: the alert has none */
	char key[1024];                /* sender|identifier|sent, the alert's identity */
	char alert_id[24], thread_id[24];
	struct kq_batch batch;
	int drafted, withdrawn, below;
};

static const char SQL_RECORD[] =
    "INSERT INTO cap_alerts (identifier, sender, sent, feed_id, msg_type, status, event, "
    "severity, expires_at, refs, digest, raw_xml) VALUES ($1, $2, $3, $4::bigint, $5, $6, $7, "
    "$8, CASE WHEN $9::bigint > 0 THEN to_timestamp($9::bigint) END, $10, $11, $12) "
    "ON CONFLICT (identifier, sender, sent) DO NOTHING RETURNING id";

/* Records the alert; 1 if new (job->alert_id set), 0 if known, -1 on failure. */
static int record(struct job *j, const char *xml, size_t len)
{
	char feed[24], exp[24], digest[SHA256_HEX_LEN + 1];
	const struct cap_info *in = j->info;
	const char *params[12] = { j->a->identifier, j->a->sender, j->a->sent, feed,
		                   j->a->msg_type, j->a->status, in ? in->event : "",
		                   in ? in->severity : "", exp, j->a->references, digest, NULL };
	/* As read (libxml2 took other encodings too): what PostgreSQL accepts. */
	char *raw = utf8_repair(xml, len);
	PGresult *res;
	int rc;

	snprintf(feed, sizeof(feed), "%lld", j->fd->id);
	snprintf(exp, sizeof(exp), "%lld", in ? (long long)cap_time(in->expires) : 0LL);
	sha256_hex(xml, len, digest);
	params[11] = raw;
	res = db_exec(j->f->db, SQL_RECORD, 12, params);
	free(raw);
	if (res == NULL)
		return -1;
	rc = PQntuples(res) == 1;
	if (rc)
		snprintf(j->alert_id, sizeof(j->alert_id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

/* The thread of the first referenced alert we know (none: this alert's own). */
static int find_thread(struct job *j, bool *known)
{
	const char *params[2] = { j->alert_id, j->thread_id };
	char s[256], id[256], sent[64];
	size_t pos = 0;

	*known = false;
	snprintf(j->thread_id, sizeof(j->thread_id), "%s", j->alert_id);
	while (!*known && cap_reference_next(j->a->references, &pos, s, id, sent, 256)) {
		const char *ref[3] = { s, id, sent };
		PGresult *res = db_exec(j->f->db, "SELECT coalesce(thread_id, id) FROM cap_alerts "
		                                  "WHERE sender = $1 AND identifier = $2 AND sent = $3",
		                        3, ref);
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 1) {
			snprintf(j->thread_id, sizeof(j->thread_id), "%s", PQgetvalue(res, 0, 0));
			*known = true;
		}
		PQclear(res);
	}
	return db_cmd(j->f->db, "UPDATE cap_alerts SET thread_id = $2::bigint WHERE id = $1::bigint",
	              2, params);
}

/* true for a draft nobody approved yet (or not applied by the composer yet). */
static bool pending(const char *status)
{
	return strcmp(status, "draft") == 0 || strcmp(status, "submitted") == 0 ||
	       strcmp(status, "rejected") == 0;
}

/* true for a warning that went out or will: a change needs a new message. */
static bool gone_out(const char *status)
{
	return !pending(status) && strcmp(status, "cancelled") != 0;
}

/* The comune's staff alerted of draft d. 0 or -1. */
static int alert_staff(struct job *j, const struct nevents_draft *d)
{
	struct staff_draft sd = { d->notice_id, d->comune_id, d->title, d->body, d->link };
	int n = staff_alert(j->f, &j->batch, &sd);

	if (n > 0)
		log_info("feeds.staff_alerted", "draft %s: %d staff contact(s) of %s alerted",
		         d->notice_id, n, d->comune_id);
	return n < 0 ? -1 : 0;
}

/* The draft in cap_drafts (a closing is closed from the start). 0 or -1. */
static int draft_record(struct job *j, const char *id, const char *comune, const char *kind,
                        const struct cap_info *info)
{
	char exp[24];
	const char *params[6] = { id, j->alert_id, j->thread_id, comune, kind, exp };

	snprintf(exp, sizeof(exp), "%lld", (long long)cap_time(info->expires));
	return db_cmd(j->f->db, "INSERT INTO cap_drafts (notice_id, alert_id, thread_id, comune_id, "
	                        "kind, expires_at, closed) VALUES ($1::uuid, $2::bigint, $3::bigint, "
	                        "$4, $5, CASE WHEN $6::bigint > 0 THEN to_timestamp($6::bigint) END, "
	                        "$5 = 'closing') ON CONFLICT (notice_id) DO NOTHING", 6, params);
}

/* Drafts one notice of kind for comune, alerts the staff, records it. */
/* Whether the comune lets one approver send an urgent notice alone
 * (banditorectl comune set --allow-single-urgent): then its drafts are submitted at once,
 * else they wait for an editor. 0, or -1 if PostgreSQL did not answer. */
static int single_approval(struct job *j, const char *comune, bool *yes)
{
	const char *params[1] = { comune };
	PGresult *res = db_exec(j->f->db, "SELECT allow_single_urgent FROM comuni WHERE id = $1",
	                        1, params);

	if (res == NULL)
		return -1;
	*yes = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return 0;
}

static int draft_one(struct job *j, const char *comune, const char *kind, enum text_kind tk,
                     const char *const *areas, size_t nareas, const struct cap_info *info)
{
	struct text_in ti = { tk, info, areas, nareas };
	char name[1200], id[UUID_STR_LEN + 1];
	struct nevents_draft d;
	char *title, *body;
	int rc;

	snprintf(name, sizeof(name), "cap-notice:%s:%s:%s", j->key, comune, kind);
	nevents_uuid(name, id);
	text_render(&ti, &title, &body);
	d = (struct nevents_draft){ id, comune, title, body,
		                    info->web[0] != '\0' ? info->web : j->fd->url, false };
	rc = single_approval(j, comune, &d.submit);
	if (rc == 0)
		rc = nevents_draft(j->f, &j->batch, &d);
	if (rc == 0)
		rc = alert_staff(j, &d);
	if (rc == 0)
		rc = draft_record(j, id, comune, kind, info);
	if (rc == 0) {
		j->drafted++;
		metric_add(&m_drafts, 1);
		log_info("feeds.drafted", "notice %s (%s) for comune %s from alert %s: %s", id, kind,
		         comune, j->key, title);
	}
	free(title);
	free(body);
	return rc;
}

/* Cancels a pending draft (or marks a sent one closed); close it in cap_drafts. */
static int close_draft(struct job *j, const char *notice, const char *comune, const char *status,
                       const char *reason)
{
	const char *params[1] = { notice };

	if (pending(status)) {
		if (nevents_cancel(j->f, &j->batch, notice, comune, reason) != 0)
			return -1;
		j->withdrawn++;
		metric_add(&m_withdrawn, 1);
		log_info("feeds.withdrawn", "draft %s of comune %s withdrawn: %s", notice, comune, reason);
	}
	return db_cmd(j->f->db, "UPDATE cap_drafts SET closed = true WHERE notice_id = $1::uuid", 1,
	              params);
}

/* The open (not closed) drafts of the job's thread, of one comune or all
 * (comune NULL): notice id, comune, status. Caller PQclears. */
static PGresult *open_drafts(struct job *j, const char *comune)
{
	const char *params[2] = { j->thread_id, comune };

	return db_exec(j->f->db, "SELECT d.notice_id, d.comune_id, coalesce(n.status, 'draft') "
	                         "FROM cap_drafts d LEFT JOIN notices n ON n.id = d.notice_id "
	                         "WHERE d.thread_id = $1::bigint AND ($2::text IS NULL OR "
	                         "d.comune_id = $2) AND NOT d.closed AND d.kind <> 'closing' "
	                         "ORDER BY d.created_at FOR UPDATE OF d", 2, params);
}

/* true if the feed wants the info's event (its list empty: every event). */
static bool event_wanted(const struct feed *fd, const char *event)
{
	const char *p = fd->event_types;

	if (*p == '\0')
		return true;
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char want[256];
		snprintf(want, sizeof(want), "%.*s", (int)n, p);
		if (n > 0 && strcasestr(event, want) != NULL)
			return true;
		p += n + (p[n] == '\n');
	}
	return false;
}

/* An Update that no longer concerns the comune (its areas, or below the
 * feed's threshold): its pending drafts are withdrawn; a warning sent stays
 * open, to be closed by a Cancel or its expiry. */
static int withdraw_pending(struct job *j, const char *comune)
{
	PGresult *res = open_drafts(j, comune);
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res) && rc == 0; r++)
		if (!gone_out(PQgetvalue(res, r, 2)))
			rc = close_draft(j, PQgetvalue(res, r, 0), comune, PQgetvalue(res, r, 2),
			                 "l'aggiornamento dell'allerta non riguarda più il comune");
	PQclear(res);
	return rc;
}

/* An Update that concerns the comune: its open drafts are closed (pending
 * ones withdrawn); *followup if one of them went out already. */
static int supersede(struct job *j, const char *comune, bool *followup)
{
	PGresult *res = open_drafts(j, comune);
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
		*followup = *followup || gone_out(PQgetvalue(res, r, 2));
		rc = close_draft(j, PQgetvalue(res, r, 0), comune, PQgetvalue(res, r, 2),
		                 "sostituita dall'aggiornamento dell'allerta");
	}
	PQclear(res);
	return rc;
}

/* Alert or Update, for one comune. */
static int warn_comune(struct job *j, const struct place *p, bool update)
{
	const char *areas[MAX_AREAS];
	size_t n = match_info(j->info, p, areas, MAX_AREAS);
	bool followup = false;
	int rc = 0;

	if (n > 0 && (cap_severity_rank(j->info->severity) < cap_severity_rank(j->fd->min_severity) ||
	              !event_wanted(j->fd, j->info->event))) {
		j->below++;
		n = 0;
	}
	if (n == 0)
		return update ? withdraw_pending(j, p->id) : 0;
	if (update)
		rc = supersede(j, p->id, &followup);
	if (rc == 0)
		rc = draft_one(j, p->id, followup ? "followup" : "alert",
		               followup ? TEXT_FOLLOWUP : TEXT_ALERT, areas,
		               n < MAX_AREAS ? n : MAX_AREAS, j->info);
	return rc;
}

/* Cancel: every open draft of the thread. */
static int cancel_thread(struct job *j, const struct cap_info *info)
{
	PGresult *res = open_drafts(j, NULL);
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
		const char *notice = PQgetvalue(res, r, 0), *comune = PQgetvalue(res, r, 1);
		const char *status = PQgetvalue(res, r, 2);
		rc = close_draft(j, notice, comune, status, "allerta revocata dall'ente emittente");
		if (rc == 0 && gone_out(status))
			rc = draft_one(j, comune, "closing", TEXT_CANCELLED, NULL, 0, info);
	}
	PQclear(res);
	return rc;
}

/* What the alert asks for; the outcome in words. */
static int act(struct job *j, char *outcome, size_t len)
{
	bool update = strcmp(j->a->msg_type, "Update") == 0, known;
	struct places ps;
	int rc;

	if (strcmp(j->a->status, "Actual") != 0) {
		metric_add(&m_not_actual, 1);
		log_info("feeds.not_actual", "alert %s of %s has status %s: not drafted",
		         j->a->identifier, j->a->sender, j->a->status);
		snprintf(outcome, len, "not_actual (%s)", j->a->status);
		return 0;
	}
	if (find_thread(j, &known) != 0)
		return -1;
	if (strcmp(j->a->msg_type, "Cancel") == 0) {
		struct cap_info thread_info = { 0 };
		if (j->info == NULL && place_thread_info(j->f->db, j->thread_id, &thread_info) != 0)
			return -1;
		rc = cancel_thread(j, j->info != NULL ? j->info : &thread_info);
		place_info_free(&thread_info);
		snprintf(outcome, len, "cancel: %d withdrawn, %d drafted", j->withdrawn, j->drafted);
		return rc;
	}
	if (j->info == NULL || (!update && strcmp(j->a->msg_type, "Alert") != 0)) {
		snprintf(outcome, len, "ignored (%s)", j->a->msg_type);
		return 0;
	}
	if (places_load(j->f->db, j->fd->comuni, &ps) != 0)
		return -1;
	rc = 0;
	for (size_t i = 0; i < ps.n && rc == 0; i++)
		rc = warn_comune(j, &ps.p[i], update && known);
	places_free(&ps);
	snprintf(outcome, len, "%s: %d drafted, %d withdrawn%s", j->a->msg_type, j->drafted,
	         j->withdrawn, j->below > 0 ? ", below threshold" : "");
	return rc;
}

/* Records and acts in one transaction; the events acknowledged before COMMIT. */
static enum draft_result handle(struct job *j, const char *xml, size_t len, char *status,
                                size_t statuslen)
{
	char outcome[200] = "";
	const char *params[2] = { NULL, outcome };
	int rc = db_begin(j->f->db);

	if (rc == 0)
		rc = record(j, xml, len);
	if (rc == 0) {
		metric_add(&m_dups, 1);
		snprintf(status, statuslen, "ok (alert %.80s seen before)", j->a->identifier);
		db_rollback(j->f->db);
		return DRAFT_DONE;
	}
	if (rc > 0) {
		metric_add(&m_alerts, 1);
		rc = act(j, outcome, sizeof(outcome));
	}
	params[0] = j->alert_id;
	if (rc == 0)
		rc = db_cmd(j->f->db, "UPDATE cap_alerts SET outcome = $2 WHERE id = $1::bigint", 2,
		            params);
	/* Always waited for: the acknowledgements point into the batch. */
	if (kq_batch_wait(j->f->kp, &j->batch) != 0 && rc == 0) {
		log_warn("feeds.kafka", "notice events of alert %s not acknowledged: %s",
		         j->a->identifier, rd_kafka_err2str(j->batch.first_err));
		rc = -1;
	}
	if (rc != 0 || db_commit(j->f->db) != 0) {
		db_rollback(j->f->db);
		snprintf(status, statuslen, "retry: %s", db_error(j->f->db));
		return DRAFT_RETRY;
	}
	snprintf(status, statuslen, "ok (%s)", outcome);
	return DRAFT_DONE;
}

enum draft_result draft_document(struct feeds *f, const struct feed *fd, const char *xml,
                                 size_t len, char *status, size_t statuslen)
{
	struct job j = { .f = f, .fd = fd };
	struct cap_alert a;
	char why[300];
	enum draft_result r;

	if (cap_parse(f->schema, xml, len, &a, why, sizeof(why)) != 0) {
		metric_add(&m_invalid, 1);
		log_warn("feeds.invalid", "feed %lld (%s): %s", fd->id, fd->url, why);
		snprintf(status, statuslen, "invalid: %s", why);
		return DRAFT_INVALID;
	}
	j.a = &a;
	j.info = cap_info_pick(&a);
	snprintf(j.key, sizeof(j.key), "%s|%s|%s", a.sender, a.identifier, a.sent);
	kq_batch_init(&j.batch);
	r = handle(&j, xml, len, status, statuslen);
	cap_alert_free(&a);
	return r;
}

static const char SQL_EXPIRED[] =
    "SELECT d.notice_id, d.comune_id, coalesce(n.status, 'draft'), d.alert_id, d.thread_id, "
    "a.sender || '|' || a.identifier || '|' || a.sent, coalesce(f.url, '') "
    "FROM cap_drafts d JOIN cap_alerts a ON a.id = d.alert_id "
    "LEFT JOIN notices n ON n.id = d.notice_id LEFT JOIN feeds f ON f.id = a.feed_id "
    "WHERE NOT d.closed AND d.kind <> 'closing' AND d.expires_at < now() "
    "ORDER BY d.expires_at LIMIT 20 FOR UPDATE OF d SKIP LOCKED";

/* One expired warning: withdrawn if pending, else closed with a message. */
static int expire_one(struct job *j, PGresult *res, int r)
{
	const char *notice = PQgetvalue(res, r, 0), *comune = PQgetvalue(res, r, 1);
	const char *status = PQgetvalue(res, r, 2);
	struct cap_info thread_info;
	int rc;

	snprintf(j->alert_id, sizeof(j->alert_id), "%s", PQgetvalue(res, r, 3));
	snprintf(j->thread_id, sizeof(j->thread_id), "%s", PQgetvalue(res, r, 4));
	snprintf(j->key, sizeof(j->key), "%s", PQgetvalue(res, r, 5));
	rc = close_draft(j, notice, comune, status, "allerta scaduta");
	if (rc != 0 || !gone_out(status))
		return rc;
	if (place_thread_info(j->f->db, j->alert_id, &thread_info) != 0)
		return -1;
	rc = draft_one(j, comune, "closing", TEXT_EXPIRED, NULL, 0, &thread_info);
	place_info_free(&thread_info);
	return rc;
}

int draft_expired(struct feeds *f)
{
	struct feed fd = { 0 };
	struct job j = { .f = f, .fd = &fd };
	PGresult *res;
	int rc = db_begin(f->db);

	kq_batch_init(&j.batch);
	res = rc == 0 ? db_exec(f->db, SQL_EXPIRED, 0, NULL) : NULL;
	if (res == NULL) {
		db_rollback(f->db);
		return -1;
	}
	for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
		fd.url = PQgetvalue(res, r, 6);
		rc = expire_one(&j, res, r);
	}
	PQclear(res);
	if (kq_batch_wait(f->kp, &j.batch) != 0)
		rc = -1;
	if (rc != 0 || db_commit(f->db) != 0) {
		db_rollback(f->db);
		return -1;
	}
	return 0;
}
