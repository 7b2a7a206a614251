/* "Invia una prova a me"; see test_send.h. */
#include "api/test_send.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "db.h"
#include "kafka.h"
#include "log.h"
#include "render.h"
#include "staff_alert.h"
#include "utf8.h"
#include "xmalloc.h"
#include "console/session.h"
#include "core/dbwork.h"
#include "core/ingest.h"
#include "core/pending.h"
#include "core/reply.h"

/* What the worker found. */
enum ts_outcome { TS_OK, TS_FAILED, TS_ABSENT, TS_NO_ADDRESS, TS_STATE, TS_NO_CHANNEL, TS_RATE };

struct ts_job {
	struct dbw_job job;              /* first */
	struct ingest *ing;
	struct evhttp_request *req;
	struct dir_api_key key;
	long long staff_id;
	char id[UUID_STR_LEN + 1];
	char event_id[64];
	enum ts_outcome out;
	PGresult *res;                   /* SQL_NOTICE's row when TS_OK */
};

/* $1 notice, $2..$4 the caller's comune, role, key id (its scope), $5 staff. */
static const char SQL_NOTICE[] =
    "SELECT n.status, n.title, n.body, n.link, n.comune_id, c.archive_base_url, c.name, "
    "n.version, " SA_TARGET_COLS("s.alert_kind", "s.alert_address") " "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id "
    "JOIN staff s ON s.id = $5::bigint AND NOT s.disabled "
    SA_CHANNEL_JOIN("s.alert_kind", "n.comune_id")
    "WHERE n.id = $1::uuid AND (n.comune_id = $2 OR ($3 = 'consortium' AND EXISTS (SELECT 1 "
    "FROM api_keys k WHERE k.id = $4::bigint AND (k.consortium_all "
    "OR n.comune_id = ANY (k.consortium_comuni)))))";
#define COL_TARGET 8

/* The history row, unless the person is over the limit: one statement. */
static const char SQL_RECORD[] =
    "INSERT INTO notice_events (notice_id, event_id, action, actor, actor_key_id, detail) "
    "SELECT $1::uuid, $2, 'test_send', $3, $4::bigint, $5 WHERE (SELECT count(*) FROM "
    "notice_events WHERE action = 'test_send' AND actor_key_id = $4::bigint AND at > now() - "
    "interval '" TEST_SEND_WINDOW "') < $6::int RETURNING id";

void test_send_title(char *out, size_t size, const char *title)
{
	utf8_format(out, size, "%s%s", TEST_SEND_PREFIX, title);
}

int test_send_allowed(const char *status)
{
	return strcmp(status, "draft") == 0 || strcmp(status, "submitted") == 0 ||
	       strcmp(status, "rejected") == 0;
}

/* Records the press in the history within the rate limit: TS_OK, TS_RATE
 * or TS_FAILED. */
static enum ts_outcome ts_record(struct db *db, struct ts_job *tj)
{
	char key[24], max[8], detail[96];
	const char *params[6] = { tj->id, tj->event_id, tj->key.name, key, detail, max };
	PGresult *res;
	int n;

	snprintf(key, sizeof(key), "%lld", tj->key.id);
	snprintf(max, sizeof(max), "%d", TEST_SEND_MAX);
	snprintf(detail, sizeof(detail), "prova della versione %s inviata al proprio %s",
	         PQgetvalue(tj->res, 0, 7), strcmp(PQgetvalue(tj->res, 0, COL_TARGET), "whatsapp") == 0
	                                        ? "WhatsApp" : "Telegram");
	res = db_exec(db, SQL_RECORD, 6, params);
	if (res == NULL)
		return TS_FAILED;
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? TS_OK : TS_RATE;
}

/* Worker: the notice, the person's address, the channel; the record. */
static void ts_work(struct db *db, struct dbw_job *job)
{
	struct ts_job *tj = (struct ts_job *)job;
	char keyid[24], staff[24];
	const char *params[5] = { tj->id, tj->key.comune_id, tj->key.role, keyid, staff };

	snprintf(keyid, sizeof(keyid), "%lld", tj->key.id);
	snprintf(staff, sizeof(staff), "%lld", tj->staff_id);
	tj->res = db_exec(db, SQL_NOTICE, 5, params);
	if (tj->res == NULL)
		tj->out = TS_FAILED;
	else if (PQntuples(tj->res) == 0)
		tj->out = TS_ABSENT;
	else if (PQgetisnull(tj->res, 0, COL_TARGET))
		tj->out = TS_NO_ADDRESS;
	else if (!test_send_allowed(PQgetvalue(tj->res, 0, 0)))
		tj->out = TS_STATE;
	else if (PQgetisnull(tj->res, 0, COL_TARGET + 2))
		tj->out = TS_NO_CHANNEL;
	else
		tj->out = ts_record(db, tj);
}

/* Loop: the job produced; 202 once Kafka has it. */
static void ts_produce(struct ts_job *tj)
{
	PGresult *res = tj->res;
	char title[RENDER_WA_TITLE_MAX * 4 + 16], jid[160];
	char *archive = render_archive_url(PQgetvalue(res, 0, 5), PQgetvalue(res, 0, 4), tj->id);
	struct sa_message m = { jid, PQgetvalue(res, 0, 4), title, PQgetvalue(res, 0, 2),
		                PQgetvalue(res, 0, 3), archive, PQgetvalue(res, 0, 6) };
	struct sa_target t;
	struct pending *p;
	size_t len;
	void *buf;

	(void)sa_target_row(&t, res, 0, COL_TARGET);
	test_send_title(title, sizeof(title), PQgetvalue(res, 0, 1));
	snprintf(jid, sizeof(jid), "test-send:%s:%lld:%s", tj->id, tj->staff_id,
	         tj->event_id + strlen("test-send:"));
	buf = sa_job_pack(&t, &m, &len);
	log_info("notice.test_send", "test of notice %s to staff %lld's own %s", tj->id,
	         tj->staff_id, t.kind);
	p = pending_new(tj->ing, tj->req, "notice.test_send", NULL);
	pending_produce(p, TOPIC_DELIVERY_URGENT, t.sender_account, buf, len);
	pending_finish(p, 202, json_pack("{s:s, s:s, s:s, s:s}", "id", tj->id, "kind", t.kind,
	                                 "title", title, "job_id", jid));
	free(buf);
	free(archive);
}

/* Loop: the answer. */
static void ts_done(struct dbw_job *job)
{
	struct ts_job *tj = (struct ts_job *)job;
	struct evhttp_request *req = tj->req;

	if (job->aborted || tj->out == TS_FAILED)
		reply_error(req, 503, "database_unavailable", "cannot send a test right now; retry");
	else if (tj->out == TS_ABSENT)
		reply_error(req, 404, "not_found", "no notice %s", tj->id);
	else if (tj->out == TS_NO_ADDRESS)
		reply_error(req, 422, "no_alert_address", "you have no WhatsApp number or Telegram "
		            "chat for alerts: ask an administrator to set one (banditorectl staff)");
	else if (tj->out == TS_STATE)
		reply_error(req, 409, "invalid_state", "a test is sent of a draft, submitted or "
		            "rejected notice only; this one is %s", PQgetvalue(tj->res, 0, 0));
	else if (tj->out == TS_NO_CHANNEL)
		reply_error(req, 409, "no_channel", "the comune has no %s channel to send the test "
		            "from", PQgetvalue(tj->res, 0, COL_TARGET));
	else if (tj->out == TS_RATE) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "600");
		reply_error(req, 429, "rate_limited", "at most %d tests per person in %s; retry "
		            "later", TEST_SEND_MAX, TEST_SEND_WINDOW);
	} else
		ts_produce(tj);
	PQclear(tj->res);
	free(tj);
}

void test_send_handle(struct ingest *ing, struct evhttp_request *req,
                      const struct route_args *ra)
{
	struct ts_job *tj;
	char uuid[UUID_STR_LEN + 1];

	if (ra->staff == NULL) {
		reply_error(req, 422, "no_alert_address", "an API key is no person and has no "
		            "WhatsApp or Telegram of its own: send a test from the console, "
		            "logged in as yourself");
		return;
	}
	tj = xcalloc(1, sizeof(*tj));
	tj->ing = ing;
	tj->req = req;
	tj->key = *ra->key;
	tj->staff_id = ra->staff->id;
	snprintf(tj->id, sizeof(tj->id), "%s", ra->id);
	uuid_v4(uuid);
	snprintf(tj->event_id, sizeof(tj->event_id), "test-send:%s", uuid);
	tj->job.work = ts_work;
	tj->job.done = ts_done;
	if (dbw_submit(ing->dbw, &tj->job) != 0) {
		reply_error(req, 503, "busy", "too many requests waiting for the database; retry");
		free(tj);
	}
}
