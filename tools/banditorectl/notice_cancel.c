/*
 * `notice cancel ID [--reason TEXT]`: the operator's kill switch. Like an
 * approver's POST /api/v1/notices/ID/cancel, it produces a NoticeEvent
 * CANCEL on notice.events (keyed by the notice id), which the composer
 * applies with the workflow's rules (common/workflow.c): the fan-out
 * stops and nothing more of the notice is sent. The event's actor is
 * "operator", with no API key, acting as an approver for the notice's
 * comune; the notice's history shows it. The notice is checked first
 * with the same rules (a sent notice cannot be cancelled; a cancelled
 * one is reported as such), then the command waits for the composer to
 * record the event (CANCEL_WAIT_MS).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "ctl.h"
#include "events.h"
#include "kafka.h"
#include "notices.h"
#include "utf8.h"
#include "workflow.h"

#define CANCEL_ACTOR "operator"
#define CANCEL_REASON_MAX 500      /* characters, as the editors' API */
#define CANCEL_WAIT_MS 15000

/* The notice as the workflow sees it. */
static const char SQL_STATE[] =
    "SELECT n.status, n.comune_id, n.version, n.urgent, coalesce(n.author_key_id, 0),"
    " n.author, c.allow_single_urgent FROM notices n JOIN comuni c ON c.id = n.comune_id"
    " WHERE n.id = $1::uuid";
/* What the composer made of the event ("" until it is recorded). */
static const char SQL_DONE[] = "SELECT detail FROM notice_events WHERE event_id = $1";

/* Parses ID and --reason; CTL_OK or CTL_USAGE (printed). */
static int cancel_args(int argc, char **argv, char id[UUID_STR_LEN + 1], const char **reason)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*reason = "";
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return CTL_USAGE;
		*reason = optarg;
	}
	if (argc - optind != 1 || !uuid_parse(argv[optind], id))
		return ctl_usage("give the notice id (a UUID; see banditorectl notice list)");
	if (!utf8_valid_str(*reason))
		return ctl_usage("--reason is not UTF-8 text");
	if (utf8_chars(*reason) > CANCEL_REASON_MAX)
		return ctl_usage("--reason has at most %d characters", CANCEL_REASON_MAX);
	return CTL_OK;
}

/* Checks that the operator may cancel the notice (row of SQL_STATE) now:
 * CTL_OK, or CTL_FAIL (printed; *done if it is cancelled already). */
static int cancel_check(PGresult *res, const char *id, bool *done)
{
	struct wf_notice n = {
		.status = PQgetvalue(res, 0, 0),
		.version = atoi(PQgetvalue(res, 0, 2)),
		.urgent = PQgetvalue(res, 0, 3)[0] == 't',
		.author_key_id = atoll(PQgetvalue(res, 0, 4)),
		.author = PQgetvalue(res, 0, 5),
		.allow_single_urgent = PQgetvalue(res, 0, 6)[0] == 't',
	};
	const struct wf_actor who = { .name = CANCEL_ACTOR, .role = "approver", .in_scope = true };
	struct wf_denial d;

	*done = strcmp(n.status, "cancelled") == 0;
	if (*done) {
		fprintf(stderr, "banditorectl: notice %s is cancelled already\n", id);
		return CTL_FAIL;
	}
	if (wf_check(WF_CANCEL, &n, &who, 0, &d) != 0)
		return ctl_fail("notice %s: %s", id, d.message);
	return CTL_OK;
}

/* Produces the CANCEL event and waits for Kafka's acknowledgement; 0 or -1 (printed). */
static int cancel_produce(const char *id, const char *comune, int version, const char *reason,
                          char event_id[UUID_STR_LEN + 1])
{
	Banditore__V1__NoticeEvent ev = BANDITORE__V1__NOTICE_EVENT__INIT;
	Banditore__V1__EventMeta meta;
	struct kq_producer *kp;
	struct kq_batch b;
	char err[256];
	size_t len;
	void *buf;
	int rc;

	kp = kq_producer_new(ctl_cfg.kafka_brokers, ctl_cfg.topic_prefix, NULL, err, sizeof(err));
	if (kp == NULL) {
		ctl_fail("Kafka: %s", err);
		return -1;
	}
	event_meta_fill(&meta, event_id, comune);
	ev.meta = &meta;
	ev.action = BANDITORE__V1__NOTICE_ACTION__NOTICE_CANCEL;
	ev.notice_id = (char *)id;
	ev.actor = CANCEL_ACTOR;
	ev.actor_role = "approver";
	ev.version = version;
	ev.reason = (char *)reason;
	buf = event_pack(&ev.base, &len);
	kq_batch_init(&b);
	rc = kq_batch_produce(kp, &b, TOPIC_NOTICE_EVENTS, id, strlen(id), buf, len);
	free(buf);
	if (kq_batch_wait(kp, &b) != 0)
		rc = -1;
	kq_producer_free(kp, 5000);
	if (rc != 0)
		ctl_fail("Kafka (BND_KAFKA_BROKERS) did not take the cancel: nothing was changed");
	return rc;
}

/* Waits for the composer to record the event; CTL_OK if it cancelled the
 * notice, CTL_FAIL (printed) if it refused or did not answer in time. */
static int cancel_wait(struct db *db, const char *id, const char *event_id)
{
	const char *params[1] = { event_id };
	const struct timespec pause = { 0, 200 * 1000000L };
	PGresult *res;

	for (int waited = 0; waited < CANCEL_WAIT_MS; waited += 200) {
		res = db_exec(db, SQL_DONE, 1, params);
		if (res != NULL && PQntuples(res) == 1) {
			bool refused = strncmp(PQgetvalue(res, 0, 0), "refused", 7) == 0;
			int rc = refused ? ctl_fail("the composer refused the cancel of %s: %s", id,
			                            PQgetvalue(res, 0, 0))
			                 : CTL_OK;
			PQclear(res);
			return rc;
		}
		if (res != NULL)
			PQclear(res);
		nanosleep(&pause, NULL);
	}
	return ctl_fail("cancel of %s sent (event %s) but not applied within %d s: is the composer "
	                "running? banditorectl notice show %s tells when it is", id, event_id,
	                CANCEL_WAIT_MS / 1000, id);
}

int ctl_notice_cancel(int argc, char **argv)
{
	char id[UUID_STR_LEN + 1], event_id[UUID_STR_LEN + 1];
	const char *reason, *params[1] = { id };
	struct db *db;
	PGresult *res;
	bool done = false;
	int rc = cancel_args(argc, argv, id, &reason);

	if (rc != CTL_OK)
		return rc;
	if ((db = ctl_db()) == NULL)
		return CTL_FAIL;
	res = db_exec(db, SQL_STATE, 1, params);
	if (res == NULL)
		rc = ctl_fail("could not read notice %s", id);
	else if (PQntuples(res) == 0)
		rc = ctl_fail("no notice %s", id);
	else if ((rc = cancel_check(res, id, &done)) == CTL_OK &&
	         cancel_produce(id, PQgetvalue(res, 0, 1), atoi(PQgetvalue(res, 0, 2)), reason,
	                        event_id) != 0)
		rc = CTL_FAIL;
	if (res != NULL)
		PQclear(res);
	if (rc == CTL_OK)
		rc = cancel_wait(db, id, event_id);
	db_free(db);
	if (done)
		rc = CTL_OK;
	if (rc == CTL_OK) {
		if (!done)
			fprintf(stderr, "banditorectl: notice %s cancelled by %s\n", id, CANCEL_ACTOR);
		fprintf(ctl_out, "%s\n", id);
	}
	return rc;
}
