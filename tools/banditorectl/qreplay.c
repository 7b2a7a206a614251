/* banditorectl quarantine replay: quarantined records back to their topics; see qctl.h. */
#include "qctl.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "kafka.h"
#include "qdb.h"
#include "xmalloc.h"

/* What one run needs to replay records. */
struct qreplay {
	const struct qreplay_args *args;
	const char         *qtopic;   /* the quarantine topic (full name) */
	struct db          *db;
	struct kq_producer *kp;       /* NULL with --dry-run */
	size_t              replayed, before, refused;
};

const char qreplay_help[] =
    "Puts quarantined records back on the topic they were read from, with their original\n"
    "key and value, once what they met is fixed (a bug, a missing channel, ...). Each is\n"
    "acknowledged by Kafka, then recorded in PostgreSQL (quarantine_replays); a record that\n"
    "fails again is set aside again as a new record.\n"
    "  --id P:O      that record (see quarantine list), even if replayed before\n"
    "  --all         every record not replayed yet, oldest first\n"
    "  --topic T     only records read from topic T (with or without the prefix)\n"
    "  --dry-run     say what would be replayed; change nothing\n"
    "A record whose source is not one of this stack's topics (another prefix) is refused.\n";

int qreplay_args(int argc, char **argv, struct qreplay_args *a)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "all", no_argument, NULL, 'a' },
		{ "topic", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			a->all = true;
		else if (c == 'n')
			a->dry_run = true;
		else if (c == 't' && optarg[0] != '\0')
			a->topic = optarg;
		else if (c != 'i')
			return CTL_USAGE;
		else if (a->has_id || qrec_id_parse(optarg, &a->partition, &a->offset) != 0)
			return ctl_usage("--id wants one PARTITION:OFFSET of the quarantine topic "
			                 "(see quarantine list)");
		else
			a->has_id = true;
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	if (a->all == a->has_id)
		return ctl_usage("say --id PARTITION:OFFSET or --all");
	return CTL_OK;
}

/* Produces r's key and value to its source topic and waits for Kafka's acknowledgement. 0 or -1. */
static int qreplay_produce(struct kq_producer *kp, const struct qrec *r, const char *target)
{
	struct kq_batch b;

	kq_batch_init(&b);
	if (kq_batch_produce(kp, &b, target, r->key, r->klen, r->val, r->vlen) != 0)
		return -1;
	return kq_batch_wait(kp, &b);
}

/*
 * Replays one record (its choice QREC_REPLAY): the replay's row is
 * written and locked, the record produced and acknowledged, then the row
 * committed; if Kafka fails, nothing is recorded. 1 replayed, 0 replayed
 * meanwhile by another run (--all), -1 failed (printed).
 */
static int qreplay_one(struct qreplay *qr, const struct qrec *r)
{
	const char *target = qrec_target(r, ctl_cfg.topic_prefix);
	bool again = !qr->args->all;
	int n;

	if (qr->args->dry_run) {
		fprintf(ctl_out, "would replay %" PRId32 ":%" PRId64 " to %s (%zu bytes)\n",
		        r->partition, r->offset, r->src_topic, r->vlen);
		return 1;
	}
	if (db_begin(qr->db) != 0) {
		ctl_fail("PostgreSQL: cannot begin a transaction");
		return -1;
	}
	n = qdb_record(qr->db, qr->qtopic, r, again ? "quarantine replay --id"
	                                             : "quarantine replay --all", again);
	if (n == 1 && qreplay_produce(qr->kp, r, target) != 0) {
		ctl_fail("record %" PRId32 ":%" PRId64 ": Kafka did not acknowledge it on %s "
		         "(it may not have arrived): its replay is not recorded", r->partition,
		         r->offset, r->src_topic);
		n = -1;
	}
	if (n != 1) {
		db_rollback(qr->db);
		return n;
	}
	if (db_commit(qr->db) != 0) {
		ctl_fail("record %" PRId32 ":%" PRId64 " was put back on %s, but its replay could not "
		         "be recorded: --all would replay it again", r->partition, r->offset,
		         r->src_topic);
		return -1;
	}
	fprintf(ctl_out, "replayed %" PRId32 ":%" PRId64 " to %s\n", r->partition, r->offset,
	        r->src_topic);
	return 1;
}

/* Why a record is refused, on stderr. */
static void qreplay_refusal(const struct qrec *r, enum qrec_choice choice)
{
	if (choice == QREC_UNKNOWN)
		fprintf(stderr, "banditorectl: record %" PRId32 ":%" PRId64 " does not say which topic "
		        "it came from: not replayed\n", r->partition, r->offset);
	else
		fprintf(stderr, "banditorectl: record %" PRId32 ":%" PRId64 " came from %s, which is not "
		        "one of this stack's topics (prefix \"%s\"): not replayed\n", r->partition,
		        r->offset, r->src_topic, ctl_cfg.topic_prefix);
}

/* --id: that record, refused with a reason if it cannot be replayed. CTL_OK or CTL_FAIL. */
static int qreplay_id(struct qreplay *qr, const struct qrec_set *s)
{
	const struct qreplay_args *a = qr->args;
	const struct qrec *r = qrec_find(s, a->partition, a->offset);
	enum qrec_choice choice;
	char when[CTL_TIME_LEN];

	if (r == NULL)
		return ctl_fail("no record %" PRId32 ":%" PRId64 " in %s (see quarantine list)",
		                a->partition, a->offset, qr->qtopic);
	choice = qrec_choose(r, ctl_cfg.topic_prefix, a->topic, false);
	if (choice == QREC_OTHER)
		return ctl_fail("record %" PRId32 ":%" PRId64 " came from %s, not %s", r->partition,
		                r->offset, r->known ? r->src_topic : "an unknown topic", a->topic);
	if (choice != QREC_REPLAY) {
		qreplay_refusal(r, choice);
		return CTL_FAIL;
	}
	if (r->replays > 0) {
		ctl_time_utc(r->replayed_ms, when);
		fprintf(stderr, "banditorectl: record %" PRId32 ":%" PRId64 " was replayed before "
		        "(%s): replaying it again\n", r->partition, r->offset, when);
	}
	return qreplay_one(qr, r) == 1 ? CTL_OK : CTL_FAIL;
}

/* --all: every record not replayed yet (of --topic), oldest first. CTL_OK or CTL_FAIL. */
static int qreplay_all(struct qreplay *qr, const struct qrec_set *s)
{
	struct qrec **order = qrec_by_time(s);
	int rc = CTL_OK, n;

	for (size_t i = 0; i < s->n && rc == CTL_OK; i++) {
		enum qrec_choice choice = qrec_choose(order[i], ctl_cfg.topic_prefix, qr->args->topic,
		                                      true);
		if (choice == QREC_OTHER)
			continue;
		if (choice == QREC_DONE) {
			qr->before++;
			continue;
		}
		if (choice != QREC_REPLAY) {
			qreplay_refusal(order[i], choice);
			qr->refused++;
			continue;
		}
		if ((n = qreplay_one(qr, order[i])) < 0)
			rc = CTL_FAIL;
		else if (n == 0)
			qr->before++;   /* replayed by another run meanwhile */
		else
			qr->replayed++;
	}
	free(order);
	return rc;
}

/* Reads the topic and its replays, then replays. */
static int qreplay_run(struct qreplay *qr)
{
	struct qrec_set s = { 0 };
	char err[512];
	int rc;

	if ((rc = qrec_set_read(&s, qr->qtopic)) != CTL_OK)
		return rc;
	if (qdb_mark(qr->db, &s, qr->qtopic) != 0) {
		qrec_set_free(&s);
		return CTL_FAIL;
	}
	if (!qr->args->dry_run) {
		qr->kp = kq_producer_new(ctl_cfg.kafka_brokers, ctl_cfg.topic_prefix, NULL, err,
		                         sizeof(err));
		if (qr->kp == NULL) {
			qrec_set_free(&s);
			return ctl_fail("kafka: %s", err);
		}
	}
	rc = qr->args->all ? qreplay_all(qr, &s) : qreplay_id(qr, &s);
	if (qr->args->all)
		fprintf(stderr, "banditorectl: %zu record(s) %s, %zu replayed before, %zu refused\n",
		        qr->replayed, qr->args->dry_run ? "would be replayed" : "replayed", qr->before,
		        qr->refused);
	qrec_set_free(&s);
	return rc;
}

int ctl_quarantine_replay(int argc, char **argv)
{
	struct qreplay_args a;
	struct qreplay qr = { .args = &a };
	char *qtopic;
	int rc = qreplay_args(argc, argv, &a);

	if (rc != CTL_OK)
		return rc;
	if ((qr.db = ctl_db()) == NULL)
		return CTL_FAIL;
	qtopic = xasprintf("%s%s", ctl_cfg.topic_prefix, TOPIC_QUARANTINE);
	qr.qtopic = qtopic;
	rc = qreplay_run(&qr);
	kq_producer_free(qr.kp, 10000);
	db_free(qr.db);
	free(qtopic);
	return rc;
}
