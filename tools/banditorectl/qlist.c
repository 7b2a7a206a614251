/* banditorectl quarantine list: what services set aside, oldest first; see qctl.h. */
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

const char qlist_help[] =
    "Services set aside on the quarantine topic the messages they cannot handle because of\n"
    "the message itself (undecodable, refused by PostgreSQL, naming something unknown, or\n"
    "failing the same way again and again while PostgreSQL and Kafka answer).\n"
    "Lists them oldest first, one a line (tab-separated, a header first) or as JSON:\n"
    "  id            PARTITION:OFFSET in the quarantine topic (quarantine replay --id)\n"
    "  time          when it was set aside (UTC)\n"
    "  service       which service set it aside\n"
    "  source_*      the topic, partition and offset it was read from (offset 'backlog':\n"
    "                a dispatcher job read back from PostgreSQL)\n"
    "  value_bytes   the size of the original message (its bytes are never shown)\n"
    "  replayed      no, or when it was last put back (quarantine replay)\n"
    "  error         why it was set aside\n"
    "  --topic T     only records read from topic T (with or without the prefix)\n"
    "  --limit N     only the oldest N\n"
    "  -o json, --json   a JSON array instead of lines\n";

/* The options of quarantine list. */
struct qlist_args {
	long        limit;    /* 0: all */
	const char *topic;    /* NULL: any source */
	bool        json;
};

/* Parses them; CTL_OK or CTL_USAGE. */
static int qlist_args(int argc, char **argv, struct qlist_args *a)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'l' },
		{ "topic", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->json = ctl_format == CTL_FORMAT_JSON;   /* -o json: taken by main */
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 't' && optarg[0] != '\0')
			a->topic = optarg;
		else if (c != 'l')
			return CTL_USAGE;
		else if (ctl_parse_long(optarg, 1, 100000000, &a->limit) != 0)
			return ctl_usage("--limit wants a number from 1");
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	return CTL_OK;
}

json_t *qlist_json(const struct qrec *r, bool db_ok)
{
	char id[48], when[CTL_TIME_LEN];
	json_t *o;

	snprintf(id, sizeof(id), "%" PRId32 ":%" PRId64, r->partition, r->offset);
	ctl_time_utc(r->ts_ms, when);
	o = json_pack("{s:s, s:i, s:I, s:s, s:s, s:s, s:I, s:I}", "id", id, "partition",
	              (int)r->partition, "offset", (json_int_t)r->offset, "time", when, "service",
	              r->service, "error", r->error, "key_bytes", (json_int_t)r->klen, "value_bytes",
	              (json_int_t)r->vlen);
	json_object_set_new(o, "source_topic", r->known ? json_string(r->src_topic) : json_null());
	json_object_set_new(o, "source_partition", r->known ? json_integer(r->src_partition) : json_null());
	json_object_set_new(o, "source_offset", r->known ? json_integer(r->src_offset) : json_null());
	json_object_set_new(o, "replayed", db_ok ? json_boolean(r->replays > 0) : json_null());
	json_object_set_new(o, "replays", db_ok ? json_integer(r->replays) : json_null());
	if (db_ok && r->replays > 0) {
		ctl_time_utc(r->replayed_ms, when);
		json_object_set_new(o, "replayed_at", json_string(when));
		json_object_set_new(o, "replayed_by", json_string(r->replayed_by));
	}
	return o;
}

/* Prints s with control characters (tabs, new lines) as spaces. */
static void qlist_put_clean(const char *s)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, ctl_out);
}

/* The replayed column: "no", the last replay's time (and how many), "?" if unknown. */
static void qlist_replayed(const struct qrec *r, bool db_ok, char *out, size_t outlen)
{
	char when[CTL_TIME_LEN];

	if (!db_ok || r->replays == 0) {
		snprintf(out, outlen, "%s", db_ok ? "no" : "?");
		return;
	}
	ctl_time_utc(r->replayed_ms, when);
	if (r->replays == 1)
		snprintf(out, outlen, "%s", when);
	else
		snprintf(out, outlen, "%s (%d times)", when, r->replays);
}

/* Prints one record as a tab-separated line (the columns of qlist_print). */
static void qlist_line(const struct qrec *r, bool db_ok)
{
	char when[CTL_TIME_LEN], replayed[CTL_TIME_LEN + 24];

	ctl_time_utc(r->ts_ms, when);
	fprintf(ctl_out, "%" PRId32 ":%" PRId64 "\t%s\t", r->partition, r->offset, when);
	qlist_put_clean(r->service[0] ? r->service : "?");
	fputc('\t', ctl_out);
	if (!r->known) {
		fputs("?\t?\t?", ctl_out);
	} else {
		qlist_put_clean(r->src_topic);
		if (r->src_offset < 0)
			fprintf(ctl_out, "\t%" PRId32 "\tbacklog", r->src_partition);
		else
			fprintf(ctl_out, "\t%" PRId32 "\t%" PRId64, r->src_partition, r->src_offset);
	}
	qlist_replayed(r, db_ok, replayed, sizeof(replayed));
	fprintf(ctl_out, "\t%zu\t%s\t", r->vlen, replayed);
	qlist_put_clean(r->error[0] ? r->error : "?");
	fputc('\n', ctl_out);
}

/* Prints the records chosen (n of them, in order) as text or JSON. */
static void qlist_print(struct qrec *const *order, size_t n, bool db_ok, bool as_json)
{
	json_t *arr;

	if (!as_json) {
		fprintf(ctl_out, "id\ttime\tservice\tsource_topic\tsource_partition\tsource_offset"
		                 "\tvalue_bytes\treplayed\terror\n");
		for (size_t i = 0; i < n; i++)
			qlist_line(order[i], db_ok);
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, qlist_json(order[i], db_ok));
	json_dumpf(arr, ctl_out, JSON_INDENT(2));
	fputc('\n', ctl_out);
	json_decref(arr);
}

/* The replays of s from PostgreSQL; false (a warning printed) if they cannot be read. */
static bool qlist_mark(struct qrec_set *s, const char *qtopic)
{
	struct db *db = ctl_db();
	bool ok = db != NULL && qdb_mark(db, s, qtopic) == 0;

	db_free(db);
	if (!ok)
		fprintf(stderr, "banditorectl: replays unknown (PostgreSQL not read): shown as \"?\"\n");
	return ok;
}

/* Says on stderr how many records there are and how many were shown. */
static void qlist_summary(const char *qtopic, const char *topic, size_t matched, size_t shown,
                          size_t pending, bool db_ok)
{
	fprintf(stderr, "%zu record(s) in %s%s%s", matched, qtopic, topic ? " from " : "",
	        topic ? topic : "");
	if (db_ok)
		fprintf(stderr, ", %zu not replayed yet", pending);
	if (shown < matched)
		fprintf(stderr, "; the oldest %zu shown", shown);
	fputc('\n', stderr);
}

int ctl_quarantine_list(int argc, char **argv)
{
	struct qlist_args a;
	struct qrec_set s = { 0 };
	struct qrec **order;
	char *qtopic;
	size_t matched = 0, shown = 0, pending = 0;
	bool db_ok;
	int rc = qlist_args(argc, argv, &a);

	if (rc != CTL_OK)
		return rc;
	qtopic = xasprintf("%s%s", ctl_cfg.topic_prefix, TOPIC_QUARANTINE);
	if ((rc = qrec_set_read(&s, qtopic)) != CTL_OK)
		goto done;
	db_ok = qlist_mark(&s, qtopic);
	order = qrec_by_time(&s);
	/* Keeps the records of the topic asked for, in order, up to the limit. */
	for (size_t i = 0; i < s.n; i++) {
		if (!qrec_from(order[i], ctl_cfg.topic_prefix, a.topic))
			continue;
		matched++;
		pending += order[i]->replays == 0;
		if (a.limit == 0 || shown < (size_t)a.limit)
			order[shown++] = order[i];
	}
	qlist_print(order, shown, db_ok, a.json);
	qlist_summary(qtopic, a.topic, matched, shown, pending, db_ok);
	free(order);
done:
	qrec_set_free(&s);
	free(qtopic);
	return rc;
}
