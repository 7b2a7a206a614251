/* banditorectl quarantine: records' headers, ids, what replay chooses, the
 * order of the list, its JSON (sizes, never bytes), and usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "qctl.h"
#include "qrec.h"

/* Calls fn with a NULL-terminated argument list (argv[0] = subcommand). */
static int run(int (*fn)(int, char **), ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, fn);
	for (char *a = va_arg(ap, char *); a != NULL && argc < 31; a = va_arg(ap, char *))
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	return fn(argc, argv);
}

/* Headers as a service writes them; a NULL value leaves that header out. */
static rd_kafka_headers_t *headers(const char *topic, const char *part, const char *off,
                                   const char *error, const char *service)
{
	rd_kafka_headers_t *h = rd_kafka_headers_new(5);

	if (topic != NULL)
		rd_kafka_header_add(h, QN_H_TOPIC, -1, topic, -1);
	if (part != NULL)
		rd_kafka_header_add(h, QN_H_PARTITION, -1, part, -1);
	if (off != NULL)
		rd_kafka_header_add(h, QN_H_OFFSET, -1, off, -1);
	if (error != NULL)
		rd_kafka_header_add(h, QN_H_ERROR, -1, error, -1);
	if (service != NULL)
		rd_kafka_header_add(h, QN_H_SERVICE, -1, service, -1);
	return h;
}

/* Parses headers into a fresh record; returns qrec_parse_headers's result. */
static int parse(struct qrec *r, rd_kafka_headers_t *h)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = qrec_parse_headers(r, h);
	if (h != NULL)
		rd_kafka_headers_destroy(h);
	return rc;
}

static void test_parse_headers(void **state)
{
	struct qrec r;
	char long_topic[QREC_TOPIC_MAX + 8];
	(void)state;

	assert_int_equal(parse(&r, headers("bnd.citizen.messages", "3", "1234", "not a valid "
	                                   "CitizenMessage", "subscriptions")), 0);
	assert_true(r.known);
	assert_string_equal(r.src_topic, "bnd.citizen.messages");
	assert_int_equal(r.src_partition, 3);
	assert_int_equal(r.src_offset, 1234);
	assert_string_equal(r.error, "not a valid CitizenMessage");
	assert_string_equal(r.service, "subscriptions");
	/* A dispatcher job read back from its PostgreSQL backlog. */
	assert_int_equal(parse(&r, headers("bnd.delivery.jobs", "0", "-1", "x", "dispatcher")), 0);
	assert_int_equal(r.src_offset, -1);
	/* Why and who are optional; the source is not. */
	assert_int_equal(parse(&r, headers("bnd.delivery.jobs", "0", "7", NULL, NULL)), 0);
	assert_true(r.known);
	assert_string_equal(r.error, "");
	assert_string_equal(r.service, "");
	assert_int_equal(parse(&r, headers(NULL, "0", "7", "x", "composer")), -1);
	assert_false(r.known);
	assert_string_equal(r.service, "composer");
	assert_int_equal(parse(&r, headers("", "0", "7", "x", "composer")), -1);
	assert_int_equal(parse(&r, headers("t", NULL, "7", "x", "composer")), -1);
	assert_int_equal(parse(&r, headers("t", "0", NULL, "x", "composer")), -1);
	assert_int_equal(parse(&r, headers("t", "-1", "7", "x", "composer")), -1);
	assert_int_equal(parse(&r, headers("t", "0", "-2", "x", "composer")), -1);
	assert_int_equal(parse(&r, headers("t", "0", "12x", "x", "composer")), -1);
	assert_int_equal(parse(&r, headers("t", " 1", "7", "x", "composer")), -1);
	assert_int_equal(parse(&r, headers("t", "", "7", "x", "composer")), -1);
	assert_int_equal(parse(&r, headers("t", "2147483648", "7", "x", "composer")), -1);
	assert_int_equal(parse(&r, NULL), -1);
	assert_false(r.known);
	memset(long_topic, 'a', sizeof(long_topic) - 1);
	long_topic[sizeof(long_topic) - 1] = '\0';
	assert_int_equal(parse(&r, headers(long_topic, "0", "1", "x", "composer")), -1);
}

static void test_id_parse(void **state)
{
	int32_t p = -1;
	int64_t o = -1;
	(void)state;

	assert_int_equal(qrec_id_parse("0:12", &p, &o), 0);
	assert_int_equal(p, 0);
	assert_int_equal(o, 12);
	assert_int_equal(qrec_id_parse("11:9007199254740993", &p, &o), 0);
	assert_int_equal(p, 11);
	assert_int_equal(o, 9007199254740993LL);
	assert_int_equal(qrec_id_parse("12", &p, &o), -1);
	assert_int_equal(qrec_id_parse(":12", &p, &o), -1);
	assert_int_equal(qrec_id_parse("1:", &p, &o), -1);
	assert_int_equal(qrec_id_parse("1:2:3", &p, &o), -1);
	assert_int_equal(qrec_id_parse("-1:2", &p, &o), -1);
	assert_int_equal(qrec_id_parse("1:-1", &p, &o), -1);
	assert_int_equal(qrec_id_parse("a:1", &p, &o), -1);
	assert_int_equal(qrec_id_parse("1:+2", &p, &o), -1);
	assert_int_equal(qrec_id_parse("2147483648:1", &p, &o), -1);
	assert_int_equal(qrec_id_parse("", &p, &o), -1);
	assert_int_equal(p, 11);   /* untouched by the failures */
	assert_int_equal(o, 9007199254740993LL);
}

/* A known record from topic src, replayed n times. */
static struct qrec from(const char *src, int replays)
{
	struct qrec r = { .known = true, .replays = replays };

	snprintf(r.src_topic, sizeof(r.src_topic), "%s", src);
	return r;
}

/* --all replays what is of this stack and not replayed yet; --id what is of this stack. */
static void test_choose(void **state)
{
	struct qrec fresh = from("bnd.citizen.messages", 0), done = from("bnd.citizen.messages", 2);
	struct qrec jobs = from("bnd.delivery.jobs", 0), unknown = { .known = false };
	(void)state;

	assert_int_equal(qrec_choose(&fresh, "bnd.", NULL, true), QREC_REPLAY);
	assert_int_equal(qrec_choose(&done, "bnd.", NULL, true), QREC_DONE);
	assert_int_equal(qrec_choose(&done, "bnd.", NULL, false), QREC_REPLAY);
	assert_int_equal(qrec_choose(&jobs, "bnd.", NULL, true), QREC_REPLAY);
	assert_string_equal(qrec_target(&jobs, "bnd."), "delivery.jobs");
	assert_int_equal(qrec_choose(&unknown, "bnd.", NULL, true), QREC_UNKNOWN);
	assert_int_equal(qrec_choose(&unknown, "bnd.", NULL, false), QREC_UNKNOWN);
	assert_null(qrec_target(&unknown, "bnd."));
	/* --topic, with or without the prefix. */
	assert_int_equal(qrec_choose(&fresh, "bnd.", "citizen.messages", true), QREC_REPLAY);
	assert_int_equal(qrec_choose(&fresh, "bnd.", "bnd.citizen.messages", true), QREC_REPLAY);
	assert_int_equal(qrec_choose(&jobs, "bnd.", "citizen.messages", true), QREC_OTHER);
	assert_int_equal(qrec_choose(&done, "bnd.", "delivery.jobs", false), QREC_OTHER);
	assert_int_equal(qrec_choose(&unknown, "bnd.", "citizen.messages", true), QREC_OTHER);
	/* Another stack's topic, no topic of ours, or the quarantine itself: refused. */
	struct qrec other = from("x.citizen.messages", 0), bare = from("citizen.messages", 0),
	            odd = from("bnd.citizen", 0), self = from("bnd.quarantine", 0),
	            empty = from("bnd.", 0);
	assert_int_equal(qrec_choose(&other, "bnd.", NULL, true), QREC_FOREIGN);
	assert_int_equal(qrec_choose(&other, "bnd.", NULL, false), QREC_FOREIGN);
	assert_int_equal(qrec_choose(&bare, "bnd.", NULL, true), QREC_FOREIGN);
	assert_int_equal(qrec_choose(&odd, "bnd.", NULL, true), QREC_FOREIGN);
	assert_int_equal(qrec_choose(&self, "bnd.", NULL, false), QREC_FOREIGN);
	assert_int_equal(qrec_choose(&empty, "bnd.", NULL, false), QREC_FOREIGN);
	/* A stack without a prefix. */
	assert_int_equal(qrec_choose(&bare, "", NULL, true), QREC_REPLAY);
	assert_int_equal(qrec_choose(&other, "", NULL, true), QREC_FOREIGN);
	assert_int_equal(qrec_choose(&fresh, "", NULL, true), QREC_FOREIGN);
}

/* Which records one --all run replays, over a whole set. */
static void test_choose_all_set(void **state)
{
	struct qrec v[] = {
		from("bnd.citizen.messages", 0), from("bnd.citizen.messages", 1),
		from("y.delivery.status", 0), from("bnd.delivery.status", 0),
		{ .known = false }, from("bnd.notice.events", 3),
	};
	enum qrec_choice want[] = { QREC_REPLAY, QREC_DONE, QREC_FOREIGN, QREC_REPLAY,
	                            QREC_UNKNOWN, QREC_DONE };
	size_t replay = 0;
	(void)state;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		enum qrec_choice c = qrec_choose(&v[i], "bnd.", NULL, true);
		assert_int_equal(c, want[i]);
		replay += c == QREC_REPLAY;
	}
	assert_int_equal(replay, 2);
	/* Once recorded, a second --all replays nothing of them. */
	v[0].replays = v[3].replays = 1;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_not_equal(qrec_choose(&v[i], "bnd.", NULL, true), QREC_REPLAY);
}

/* A set in id order finds by id; the list is oldest first, ties by id. */
static void test_order(void **state)
{
	struct qrec_set s = { 0 };
	struct qrec **order;
	const struct { int32_t p; int64_t o, ts; } in[] = {
		{ 1, 5, 3000 }, { 0, 9, 1000 }, { 0, 2, 1000 }, { 1, 1, 500 }, { 2, 0, 1000 },
	};
	(void)state;

	s.cap = s.n = sizeof(in) / sizeof(in[0]);
	s.v = calloc(s.n, sizeof(*s.v));
	for (size_t i = 0; i < s.n; i++) {
		s.v[i].partition = in[i].p;
		s.v[i].offset = in[i].o;
		s.v[i].ts_ms = in[i].ts;
	}
	qrec_set_sort_id(&s);
	assert_int_equal(s.v[0].offset, 2);
	assert_int_equal(s.v[4].partition, 2);
	assert_non_null(qrec_find(&s, 1, 5));
	assert_int_equal(qrec_find(&s, 1, 5)->ts_ms, 3000);
	assert_null(qrec_find(&s, 1, 4));
	assert_null(qrec_find(&s, 3, 0));
	order = qrec_by_time(&s);
	assert_int_equal(order[0]->offset, 1);      /* 1:1 at 500 */
	assert_int_equal(order[1]->offset, 2);      /* 0:2, 0:9, 2:0 at 1000 */
	assert_int_equal(order[2]->offset, 9);
	assert_int_equal(order[3]->partition, 2);
	assert_int_equal(order[4]->offset, 5);      /* 1:5 at 3000 */
	free(order);
	qrec_set_free(&s);
	assert_null(qrec_find(&s, 0, 0));
}

/* The JSON of a record has sizes, never the key's or value's bytes. */
static void test_list_json(void **state)
{
	struct qrec r = from("bnd.citizen.messages", 2);
	char val[] = "{\"from\":\"+393331234567\"}", key[] = "393331234567";
	json_t *o;
	char *text;
	(void)state;

	r.partition = 1;
	r.offset = 42;
	r.ts_ms = 1764756000123LL;
	r.src_partition = 3;
	r.src_offset = 17;
	r.val = val;
	r.vlen = strlen(val);
	r.key = key;
	r.klen = strlen(key);
	r.replayed_ms = 1764756060000LL;
	snprintf(r.error, sizeof(r.error), "channel 9 does not exist");
	snprintf(r.service, sizeof(r.service), "subscriptions");
	snprintf(r.replayed_by, sizeof(r.replayed_by), "quarantine replay --id");
	o = qlist_json(&r, true);
	text = json_dumps(o, JSON_COMPACT);
	assert_null(strstr(text, "3331234567"));
	assert_string_equal(json_string_value(json_object_get(o, "id")), "1:42");
	assert_string_equal(json_string_value(json_object_get(o, "time")), "2025-12-03T10:00:00.123Z");
	assert_string_equal(json_string_value(json_object_get(o, "source_topic")),
	                    "bnd.citizen.messages");
	assert_int_equal(json_integer_value(json_object_get(o, "source_offset")), 17);
	assert_int_equal(json_integer_value(json_object_get(o, "value_bytes")), strlen(val));
	assert_int_equal(json_integer_value(json_object_get(o, "key_bytes")), strlen(key));
	assert_true(json_is_true(json_object_get(o, "replayed")));
	assert_int_equal(json_integer_value(json_object_get(o, "replays")), 2);
	assert_string_equal(json_string_value(json_object_get(o, "replayed_at")),
	                    "2025-12-03T10:01:00.000Z");
	free(text);
	json_decref(o);
	/* Replays unknown (PostgreSQL not read); a record without a source. */
	r.known = false;
	o = qlist_json(&r, false);
	assert_true(json_is_null(json_object_get(o, "replayed")));
	assert_true(json_is_null(json_object_get(o, "source_topic")));
	assert_null(json_object_get(o, "replayed_at"));
	json_decref(o);
}

/* Command lines refused before any connection. */
static void test_usage(void **state)
{
	struct qreplay_args a;
	char a0[] = "replay", a1[] = "--id", a2[] = "3:17", a3[] = "--topic",
	     a4[] = "citizen.messages", a5[] = "--dry-run";
	char *argv[] = { a0, a1, a2, a3, a4, a5, NULL };
	(void)state;

	assert_int_equal(qreplay_args(6, argv, &a), CTL_OK);
	assert_true(a.has_id);
	assert_false(a.all);
	assert_true(a.dry_run);
	assert_int_equal(a.partition, 3);
	assert_int_equal(a.offset, 17);
	assert_string_equal(a.topic, "citizen.messages");
	assert_int_equal(run(ctl_quarantine_replay, "replay", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_replay, "replay", "--all", "--id", "0:1", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_replay, "replay", "--id", "0:1", "--id", "0:2", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_replay, "replay", "--id", "0-1", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_replay, "replay", "--all", "--topic", "", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_replay, "replay", "--all", "extra", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_replay, "replay", "--dry-run", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_list, "list", "-o", "yaml", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_list, "list", "--limit", "0", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_list, "list", "--limit", "x", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_list, "list", "extra", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_quarantine_list, "list", "--bogus", NULL), CTL_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_headers),
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_choose_all_set),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_list_json),
		cmocka_unit_test(test_usage),
	};
	ctl_out = stdout;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
