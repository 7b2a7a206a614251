/* notice.events -> notices table; see notices.h. */
#include "notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "events.h"
#include "log.h"
#include "notice_version.h"
#include "pgarr.h"
#include "pgtext.h"
#include "quiet.h"
#include "release.h"
#include "tzone.h"
#include "utf8.h"
#include "workflow.h"
#include "xmalloc.h"

#define A(x) BANDITORE__V1__NOTICE_ACTION__NOTICE_##x

/* The workflow action of an event on an existing notice (an approval with a
 * time is an approval: it is checked the same way). */
static enum wf_action notice_wf(const Banditore__V1__NoticeEvent *ev)
{
	switch (ev->action) {
	case A(EDIT):
		return WF_EDIT;
	case A(SUBMIT):
		return WF_SUBMIT;
	case A(APPROVE):
		return WF_APPROVE;
	case A(REJECT):
		return WF_REJECT;
	case A(PAUSE):
		return WF_PAUSE;
	case A(RESUME):
		return WF_RESUME;
	default:
		return WF_CANCEL;
	}
}

/* The event's action as the history and logs name it. */
static const char *notice_action_name(const Banditore__V1__NoticeEvent *ev)
{
	return ev->action == A(CREATE) ? "create" : wf_action_name(notice_wf(ev));
}

/* What an event needs to know of its notice (locked FOR UPDATE). */
struct nrow {
	char status[16];
	char comune_id[64];
	char author[128];
	char quiet_start[16], quiet_end[16], tz[64];
	int version;
	bool urgent, allow_single_urgent, replay;
	long long author_key_id;
	int64_t scheduled_ms;
};

static const char SQL_LOCK[] =
    "SELECT n.status, n.comune_id, n.author, n.version, n.urgent, c.allow_single_urgent, "
    "coalesce(n.author_key_id, 0), "
    "coalesce((extract(epoch FROM n.scheduled_at) * 1000)::bigint, 0), "
    "c.quiet_start::text, c.quiet_end::text, c.time_zone, "
    "EXISTS (SELECT 1 FROM notice_events e WHERE e.event_id = $2) "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id WHERE n.id = $1::uuid FOR UPDATE OF n";

/* Locks the notice; 0, 1 if absent, -1 on failure. */
static int nrow_lock(struct db *db, const Banditore__V1__NoticeEvent *ev, struct nrow *n)
{
	const char *params[2] = { ev->notice_id, ev->meta->id };
	PGresult *res = db_exec(db, SQL_LOCK, 2, params);

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 1;
	}
	snprintf(n->status, sizeof(n->status), "%s", PQgetvalue(res, 0, 0));
	snprintf(n->comune_id, sizeof(n->comune_id), "%s", PQgetvalue(res, 0, 1));
	snprintf(n->author, sizeof(n->author), "%s", PQgetvalue(res, 0, 2));
	n->version = atoi(PQgetvalue(res, 0, 3));
	n->urgent = PQgetvalue(res, 0, 4)[0] == 't';
	n->allow_single_urgent = PQgetvalue(res, 0, 5)[0] == 't';
	n->author_key_id = atoll(PQgetvalue(res, 0, 6));
	n->scheduled_ms = atoll(PQgetvalue(res, 0, 7));
	snprintf(n->quiet_start, sizeof(n->quiet_start), "%s", PQgetvalue(res, 0, 8));
	snprintf(n->quiet_end, sizeof(n->quiet_end), "%s", PQgetvalue(res, 0, 9));
	snprintf(n->tz, sizeof(n->tz), "%s", PQgetvalue(res, 0, 10));
	n->replay = PQgetvalue(res, 0, 11)[0] == 't';
	PQclear(res);
	return 0;
}

/* The acting key as the database knows it (role, scope over comune). */
struct actor {
	char role[16];
	bool in_scope, revoked;
};

static const char SQL_ACTOR[] =
    "SELECT k.role, k.revoked_at IS NOT NULL, (k.comune_id = $2 OR (k.role = 'consortium' "
    "AND (k.consortium_all OR $2 = ANY (k.consortium_comuni)))) "
    "FROM api_keys k WHERE k.id = $1::bigint";

/* Fills who for the event's key acting on comune; -1 on failure. */
static int actor_load(struct db *db, const Banditore__V1__NoticeEvent *ev, const char *comune,
                      struct actor *a, struct wf_actor *who)
{
	char id[24];
	const char *params[2] = { id, comune };
	PGresult *res;

	who->key_id = ev->actor_key_id;
	who->name = ev->actor;
	who->role = a->role;
	snprintf(a->role, sizeof(a->role), "%s", ev->actor_role != NULL ? ev->actor_role : "");
	/* Events without a key id (older producers): the event's own word. */
	a->in_scope = strcmp(ev->meta->comune_id, comune) == 0;
	a->revoked = false;
	if (ev->actor_key_id != 0) {
		snprintf(id, sizeof(id), "%lld", (long long)ev->actor_key_id);
		res = db_exec(db, SQL_ACTOR, 2, params);
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 1) {
			snprintf(a->role, sizeof(a->role), "%s", PQgetvalue(res, 0, 0));
			a->revoked = PQgetvalue(res, 0, 1)[0] == 't';
			a->in_scope = PQgetvalue(res, 0, 2)[0] == 't';
		} else {
			snprintf(a->role, sizeof(a->role), "unknown");
		}
		PQclear(res);
	}
	who->in_scope = a->in_scope;
	who->revoked = a->revoked;
	who->contributor = false;   /* notice_act asks notice_contributors for approvals */
	return 0;
}

/* Records the event with its outcome in words; 0 or -1. */
static int record(struct db *db, const Banditore__V1__NoticeEvent *ev, const char *detail)
{
	char key[24];
	const char *params[6] = { ev->notice_id, ev->meta->id, notice_action_name(ev),
		                  ev->actor, key, detail };

	snprintf(key, sizeof(key), "%lld", (long long)ev->actor_key_id);
	return db_cmd(db, "INSERT INTO notice_events (notice_id, event_id, action, actor, "
	                  "actor_key_id, detail) SELECT $1::uuid, $2, $3, $4, nullif($5, '0')::bigint, $6 "
	                  "WHERE EXISTS (SELECT 1 FROM notices WHERE id = $1::uuid) "
	                  "ON CONFLICT (event_id) DO NOTHING",
	              6, params);
}

/* Records the event's key as a contributor (create, edit, submit) of
 * version; nothing for events without a key id. 0 or -1. */
static int contrib_add(struct db *db, const Banditore__V1__NoticeEvent *ev, int version)
{
	char key[24], ver[16];
	const char *params[4] = { ev->notice_id, ver, key, notice_action_name(ev) };

	if (ev->actor_key_id == 0)
		return 0;
	snprintf(key, sizeof(key), "%lld", (long long)ev->actor_key_id);
	snprintf(ver, sizeof(ver), "%d", version);
	return db_cmd(db, "INSERT INTO notice_contributors (notice_id, version, key_id, action) "
	                  "SELECT $1::uuid, $2::int, $3::bigint, $4 "
	                  "WHERE EXISTS (SELECT 1 FROM notices WHERE id = $1::uuid) "
	                  "ON CONFLICT DO NOTHING", 4, params);
}

/* Whether the event's key contributed to version (created or edited it or
 * an earlier version, or submitted it): *yes; 0 or -1. */
static int contrib_check(struct db *db, const Banditore__V1__NoticeEvent *ev, int version,
                         bool *yes)
{
	char key[24], ver[16];
	const char *params[3] = { ev->notice_id, key, ver };
	PGresult *res;

	*yes = false;
	if (ev->actor_key_id == 0)
		return 0;
	snprintf(key, sizeof(key), "%lld", (long long)ev->actor_key_id);
	snprintf(ver, sizeof(ver), "%d", version);
	res = db_exec(db, "SELECT " WF_CONTRIBUTED_SQL("$1::uuid", "$2::bigint", "$3::int"), 3,
	              params);
	if (res == NULL)
		return -1;
	*yes = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

/* Milliseconds as a decimal string for to_timestamp($n::bigint / 1000.0). */
static void ms_text(char buf[24], int64_t ms)
{
	snprintf(buf, 24, "%lld", (long long)ms);
}

/* CREATE: a new draft; replays do nothing. -1 retry, 1 reject, 0 done. */
static int notice_create(struct db *db, const Banditore__V1__NoticeEvent *ev)
{
	struct pgarr topics = { 0 }, channels = { 0 };
	char key[24], sched[24];
	const char *comune = ev->meta->comune_id;
	const char *params[13];
	struct actor a;
	struct wf_actor who;
	int rc;

	if (actor_load(db, ev, comune, &a, &who) != 0)
		return -1;
	if (!who.in_scope || who.revoked || strcmp(a.role, "unknown") == 0) {
		log_warn("notice.create_refused", "key %lld may not write notices for comune %s",
		         (long long)ev->actor_key_id, comune);
		return 1;
	}
	pgarr_add_all(&topics, ev->topics, ev->n_topics, NULL);
	pgarr_add_all(&channels, ev->channels, ev->n_channels, pgtext_channel_ok);
	snprintf(key, sizeof(key), "%lld", (long long)ev->actor_key_id);
	ms_text(sched, ev->scheduled_at_ms);
	params[0] = ev->notice_id;
	params[1] = comune;
	params[2] = ev->actor;
	params[3] = key;
	params[4] = ev->title != NULL ? ev->title : "";
	params[5] = ev->body != NULL ? ev->body : "";
	params[6] = ev->urgent ? "t" : "f";
	params[7] = pgarr_end(&topics);
	params[8] = pgtext_category(ev->category);
	params[9] = ev->link != NULL ? ev->link : "";
	params[10] = pgarr_end(&channels);
	params[11] = uuid_valid(ev->group_id) ? ev->group_id : NULL;
	params[12] = sched;
	rc = db_cmd(db, "INSERT INTO notices (id, comune_id, author, author_key_id, title, body, "
	                "urgent, topics, category, link, channels, group_id, scheduled_at) "
	                "SELECT $1::uuid, $2, $3, nullif($4, '0')::bigint, $5, $6, $7::boolean, "
	                "$8::text[], $9, $10, $11::text[], $12::uuid, CASE WHEN $13::bigint > 0 "
	                "THEN to_timestamp($13::bigint / 1000.0) END "
	                "WHERE EXISTS (SELECT 1 FROM comuni WHERE id = $2) "
	                "ON CONFLICT (id) DO NOTHING", 13, params);
	if (rc == 0)
		rc = contrib_add(db, ev, 1);
	if (rc == 0)
		rc = nversion_record(db, ev, 1);
	if (rc == 0)
		rc = record(db, ev, "");
	pgarr_free(&topics, 1);
	pgarr_free(&channels, 1);
	return rc;
}

/* EDIT: new content, version + 1, back to draft. */
static int apply_edit(struct db *db, const Banditore__V1__NoticeEvent *ev, char *detail,
                      size_t len, const struct nrow *n)
{
	struct pgarr topics = { 0 }, channels = { 0 };
	char sched[24];
	const char *params[10];
	int rc;

	pgarr_add_all(&topics, ev->topics, ev->n_topics, NULL);
	pgarr_add_all(&channels, ev->channels, ev->n_channels, pgtext_channel_ok);
	ms_text(sched, ev->scheduled_at_ms);
	params[0] = ev->notice_id;
	params[1] = ev->title != NULL ? ev->title : "";
	params[2] = ev->body != NULL ? ev->body : "";
	params[3] = ev->urgent ? "t" : "f";
	params[4] = pgarr_end(&topics);
	params[5] = ev->category != NULL && *ev->category != '\0' ? pgtext_category(ev->category) : "";
	params[6] = ev->link != NULL ? ev->link : "";
	params[7] = pgarr_end(&channels);
	params[8] = sched;
	rc = db_cmd(db, "UPDATE notices SET title = coalesce(nullif($2, ''), title), "
	                "body = coalesce(nullif($3, ''), body), urgent = $4::boolean, "
	                "topics = $5::text[], category = coalesce(nullif($6, ''), category), "
	                "link = $7, channels = $8::text[], scheduled_at = CASE WHEN $9::bigint > 0 "
	                "THEN to_timestamp($9::bigint / 1000.0) END, version = version + 1, "
	                "status = 'draft', updated_at = now() WHERE id = $1::uuid", 9, params);
	snprintf(detail, len, "version %d", n->version + 1);
	if (rc == 0)
		rc = contrib_add(db, ev, n->version + 1);
	if (rc == 0)
		rc = nversion_record(db, ev, n->version + 1);
	pgarr_free(&topics, 1);
	pgarr_free(&channels, 1);
	return rc;
}

/* APPROVE: approved (due now) or scheduled until release_at. */
static int apply_approve(struct db *db, const Banditore__V1__NoticeEvent *ev, char *detail,
                         size_t len, const struct nrow *n, int64_t now)
{
	struct tzone *zone = quiet_zone(n->tz);
	struct quiet_hours q;
	/* The approver's time, else the author's proposal; -1: now regardless. */
	int64_t sched = ev->scheduled_at_ms > 0   ? ev->scheduled_at_ms
	                : ev->scheduled_at_ms < 0 ? 0
	                                          : n->scheduled_ms;
	int64_t rel;
	char key[24], nows[24], rels[24], scheds[24];
	const char *params[7] = { ev->notice_id, ev->actor, key, nows, rels, scheds, NULL };

	quiet_hours_set(&q, n->quiet_start, n->quiet_end, zone);
	rel = quiet_release_notice(&q, n->urgent, now, sched);
	tzone_free(zone);
	params[6] = rel > now ? "scheduled" : "approved";
	snprintf(key, sizeof(key), "%lld", (long long)ev->actor_key_id);
	ms_text(nows, now);
	ms_text(rels, rel);
	ms_text(scheds, sched);
	if (rel <= now) {
		snprintf(detail, len, "version %d, released now", n->version);
	} else {
		time_t t = (time_t)(rel / 1000);
		struct tm tm;
		char when[32];
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(detail, len, "version %d, held until %s (%s)", n->version, when,
		         sched >= rel ? "scheduled" : "quiet hours");
	}
	return db_cmd(db, "UPDATE notices SET status = $7, approver = $2, "
	                  "approver_key_id = nullif($3, '0')::bigint, "
	                  "approved_at = to_timestamp($4::bigint / 1000.0), "
	                  "release_at = to_timestamp($5::bigint / 1000.0), "
	                  "scheduled_at = CASE WHEN $6::bigint > 0 THEN to_timestamp($6::bigint / 1000.0) "
	                  "END, updated_at = now() WHERE id = $1::uuid", 7, params);
}

/*
 * CANCEL: the notice is cancelled (the fan-out stops at its next page,
 * the dispatchers drop its jobs still queued within a second), and its
 * jobs deferred in the backlog (migration 0010) are recorded as stopped
 * at once, as are held ones: nothing of it will go out any more.
 */
static int apply_cancel(struct db *db, const char *const *params)
{
	if (db_cmd(db, "UPDATE notices SET status = 'cancelled', cancelled_at = now(), "
	               "updated_at = now() WHERE id = $1::uuid", 1, params) != 0)
		return -1;
	return db_cmd(db, "WITH b AS (DELETE FROM delivery_backlog WHERE notice_id = $1::uuid "
	                  "RETURNING job_id, notice_id, subscriber_id, channel_id, purpose) "
	                  "INSERT INTO deliveries (job_id, notice_id, subscriber_id, channel_id, "
	                  "purpose, status, error_detail) SELECT job_id, notice_id, subscriber_id, "
	                  "channel_id, purpose, 'cancelled', 'notice_cancelled' FROM b "
	                  "ON CONFLICT (job_id) DO UPDATE SET status = 'cancelled', "
	                  "error_detail = 'notice_cancelled', updated_at = now() "
	                  "WHERE deliveries.status IN ('held', 'claimed') "
	                  "AND (deliveries.status = 'held' OR deliveries.claimed_by IS NULL)",
	              1, params);
}

/* SUBMIT / REJECT / CANCEL / PAUSE / RESUME: a status change with its time. */
static int apply_simple(struct db *db, const Banditore__V1__NoticeEvent *ev, char *detail,
                        size_t len)
{
	const char *reason = ev->reason != NULL ? ev->reason : "";
	const char *params[2] = { ev->notice_id, reason };

	/* A reason has up to 500 characters: the history keeps what fits,
	 * cut between characters (PostgreSQL refuses a split one). */
	(void)utf8_truncate(detail, len, reason, true);
	switch (ev->action) {
	case A(SUBMIT):
		return db_cmd(db, "UPDATE notices SET status = 'submitted', submitted_at = now(), "
		                  "updated_at = now() WHERE id = $1::uuid", 1, params);
	case A(REJECT):
		return db_cmd(db, "UPDATE notices SET status = 'rejected', reject_reason = $2, "
		                  "updated_at = now() WHERE id = $1::uuid", 2, params);
	case A(PAUSE):
		return db_cmd(db, "UPDATE notices SET status = 'paused', paused_at = now(), "
		                  "updated_at = now() WHERE id = $1::uuid", 1, params);
	case A(RESUME):
		return db_cmd(db, "UPDATE notices SET status = 'sending', paused_at = NULL, "
		                  "updated_at = now() WHERE id = $1::uuid", 1, params);
	default:
		return apply_cancel(db, params);
	}
}

/* Checks and applies an action on an existing notice, inside the caller's
 * transaction. -1 retry, 1 reject, 0 done (*applied: the rules allowed it). */
static int notice_act(struct db *db, const Banditore__V1__NoticeEvent *ev, int64_t now,
                      bool *applied, bool *urgent)
{
	char detail[240];
	struct wf_denial d;
	struct nrow n;
	struct actor a;
	struct wf_actor who;
	struct wf_notice wn;
	int rc = nrow_lock(db, ev, &n);

	if (rc != 0 || n.replay)
		return rc;
	if (actor_load(db, ev, n.comune_id, &a, &who) != 0)
		return -1;
	if (ev->action == A(APPROVE) && contrib_check(db, ev, n.version, &who.contributor) != 0)
		return -1;
	wn = (struct wf_notice){ n.status, n.version, n.urgent, n.author_key_id, n.author,
		                 n.allow_single_urgent };
	*urgent = n.urgent;
	if (wf_check(notice_wf(ev), &wn, &who, ev->version, &d) != 0) {
		utf8_format(detail, sizeof(detail), "refused: %s", d.message);
		log_warn("notice.refused", "%s of notice %s by key %lld: %s",
		         notice_action_name(ev), ev->notice_id, (long long)ev->actor_key_id,
		         d.message);
		return record(db, ev, detail);
	}
	if (ev->action == A(EDIT))
		rc = apply_edit(db, ev, detail, sizeof(detail), &n);
	else if (ev->action == A(APPROVE))
		rc = apply_approve(db, ev, detail, sizeof(detail), &n, now);
	else
		rc = apply_simple(db, ev, detail, sizeof(detail));
	if (rc == 0 && ev->action == A(SUBMIT))
		rc = contrib_add(db, ev, n.version);
	if (rc == 0)
		rc = record(db, ev, detail);
	if (rc == 0) {
		*applied = true;
		struct log_fields f = LOG_FIELDS_INIT;
		lf_str(&f, "notice_id", ev->notice_id);
		if (ev->meta != NULL)
			lf_str(&f, "comune", ev->meta->comune_id);
		log_info_f("notice.changed", &f, "%s of notice %s by %s: %s", notice_action_name(ev),
		         ev->notice_id, ev->actor, detail);
	}
	return rc;
}

/* Runs one event in a transaction. */
static enum work_result notice_apply(struct composer *cmp, const Banditore__V1__NoticeEvent *ev,
                                     struct work_fault *fault)
{
	struct db *db = cmp->svc.db;
	bool applied = false, urgent = false;
	int rc = db_begin(db);

	if (rc == 0)
		rc = ev->action == A(CREATE) ? notice_create(db, ev)
		                             : notice_act(db, ev, quiet_now_ms(cmp->clock_offset_s),
		                                          &applied, &urgent);
	if (rc > 0) {
		db_rollback(db);
		return ev->action == A(CREATE)
		           ? work_reject(fault, "create refused: key %lld may not write for comune %s",
		                         (long long)ev->actor_key_id, ev->meta->comune_id)
		           : work_reject(fault, "%s of notice %s, which does not exist",
		                         notice_action_name(ev), ev->notice_id);
	}
	if (rc < 0 || db_commit(db) != 0) {
		enum work_result r = work_db(fault, db);
		db_rollback(db);
		return r;
	}
	if (applied && (ev->action == A(APPROVE) || ev->action == A(RESUME)))
		release_wake(cmp->rel, urgent);
	else if (applied && ev->action == A(SUBMIT) && urgent)
		release_wake(cmp->rel, false);   /* its approvers are alerted at once */
	return WORK_DONE;
}

/* Replaces *field by its repaired copy if it is not valid UTF-8. The
 * event was unpacked with protobuf-c's default allocator (malloc/free),
 * so the old string is freed as free_unpacked would; valid strings, and
 * the shared empty default among them, are never touched. */
static void repair_field(char **field)
{
	char *fixed;

	if (*field == NULL || utf8_valid_str(*field))
		return;
	fixed = utf8_repair(*field, strlen(*field));
	free(*field);
	*field = fixed;
}

/* Text PostgreSQL would refuse (ingest checks, but a replayed or foreign
 * producer's event must not make this message fail forever): repaired. */
static void notice_repair(Banditore__V1__NoticeEvent *ev)
{
	repair_field(&ev->actor);
	repair_field(&ev->title);
	repair_field(&ev->body);
	repair_field(&ev->link);
	repair_field(&ev->reason);
	for (size_t i = 0; i < ev->n_topics; i++)
		repair_field(&ev->topics[i]);
}

enum work_result notices_handle(const rd_kafka_message_t *msg, void *arg,
                                struct work_fault *fault)
{
	struct composer *cmp = arg;
	Banditore__V1__NoticeEvent *ev;
	enum work_result r;

	ev = banditore__v1__notice_event__unpack(NULL, msg->len, msg->payload);
	if (ev == NULL || ev->meta == NULL || ev->notice_id == NULL || ev->actor == NULL ||
	    ev->meta->comune_id == NULL || ev->meta->id == NULL || *ev->meta->id == '\0' ||
	    !uuid_valid(ev->notice_id)) {
		r = work_reject(fault, "not a valid NoticeEvent (undecodable, or without a notice "
		                       "id, event id, comune or actor)");
	} else if (ev->action < A(CREATE) || ev->action > A(RESUME)) {
		r = work_reject(fault, "unknown notice action %d", (int)ev->action);
	} else {
		notice_repair(ev);
		r = notice_apply(cmp, ev, fault);
	}
	if (ev != NULL)
		banditore__v1__notice_event__free_unpacked(ev, NULL);
	return r;
}
