/* banditorectl for operators: -o json|text taken in one place, rows as
 * text or JSON, UTC times, and the checks of notice cancel, channel
 * set/disable/enable, dead replay, comune set and gdpr erase that answer
 * "usage error" before touching a database or a broker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "dead.h"
#include "notices.h"

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

/* ctl_opt_format on a copy of the words; the words left joined by spaces in left. */
static int format_of(enum ctl_format *fmt, char left[256], ...)
{
	char *argv[16];
	int argc = 0, rc;
	va_list ap;

	va_start(ap, left);
	for (char *a = va_arg(ap, char *); a != NULL && argc < 15; a = va_arg(ap, char *))
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	rc = ctl_opt_format(&argc, argv, fmt);
	left[0] = '\0';
	for (int i = 0; i < argc; i++) {
		strcat(left, i ? " " : "");
		strcat(left, argv[i]);
	}
	assert_null(argv[argc]);
	return rc;
}

static void test_opt_format(void **state)
{
	enum ctl_format f;
	char left[256];
	(void)state;

	assert_int_equal(format_of(&f, left, "list", "--comune", "demo", NULL), CTL_OK);
	assert_int_equal(f, CTL_FORMAT_TEXT);
	assert_string_equal(left, "list --comune demo");
	assert_int_equal(format_of(&f, left, "list", "-o", "json", "--comune", "demo", NULL), CTL_OK);
	assert_int_equal(f, CTL_FORMAT_JSON);
	assert_string_equal(left, "list --comune demo");
	assert_int_equal(format_of(&f, left, "list", "--comune", "demo", "--json", NULL), CTL_OK);
	assert_int_equal(f, CTL_FORMAT_JSON);
	assert_string_equal(left, "list --comune demo");
	assert_int_equal(format_of(&f, left, "list", "-ojson", "--limit", "2", NULL), CTL_OK);
	assert_int_equal(f, CTL_FORMAT_JSON);
	assert_string_equal(left, "list --limit 2");
	assert_int_equal(format_of(&f, left, "list", "--output=json", NULL), CTL_OK);
	assert_int_equal(f, CTL_FORMAT_JSON);
	assert_string_equal(left, "list");
	assert_int_equal(format_of(&f, left, "list", "--output", "json", "-o=text", NULL), CTL_OK);
	assert_int_equal(f, CTL_FORMAT_TEXT);   /* the last one given */
	assert_string_equal(left, "list");
	/* After "--" nothing is taken. */
	assert_int_equal(format_of(&f, left, "list", "--", "-o", "json", NULL), CTL_OK);
	assert_int_equal(f, CTL_FORMAT_TEXT);
	assert_string_equal(left, "list -- -o json");
	assert_int_equal(format_of(&f, left, "list", "-o", "yaml", NULL), CTL_USAGE);
	assert_int_equal(format_of(&f, left, "list", "-o", NULL), CTL_USAGE);
	assert_int_equal(format_of(&f, left, "list", "--output=", NULL), CTL_USAGE);
}

/* A result of three rows (id bigint, name text, ok boolean), made without a server. */
static PGresult *rows_fixture(void)
{
	PGresAttDesc at[3] = {
		{ .name = "id", .typid = 20, .typlen = 8, .format = 0, .atttypmod = -1 },
		{ .name = "name", .typid = 25, .typlen = -1, .format = 0, .atttypmod = -1 },
		{ .name = "ok", .typid = 16, .typlen = 1, .format = 0, .atttypmod = -1 },
	};
	const char *vals[3][3] = { { "1", "Valle \"alta\"\tà", "t" }, { "2", "Monte", "f" },
		                   { "3", NULL, NULL } };
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);

	assert_non_null(res);
	assert_int_equal(PQsetResultAttrs(res, 3, at), 1);
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++)
			assert_int_equal(PQsetvalue(res, r, c, (char *)vals[r][c],
			                            vals[r][c] ? (int)strlen(vals[r][c]) : -1), 1);
	return res;
}

/* What ctl_rows_print writes in fmt (caller frees). */
static char *rows_output(PGresult *res, enum ctl_format fmt, int *rc)
{
	static const char *const cols[] = { "id", "name", "ok" };
	char *buf = NULL;
	size_t len = 0;

	ctl_out = open_memstream(&buf, &len);
	assert_non_null(ctl_out);
	ctl_format = fmt;
	*rc = ctl_rows_print(res, cols);
	fclose(ctl_out);
	ctl_out = NULL;
	ctl_format = CTL_FORMAT_TEXT;
	return buf;
}

static void test_rows_print(void **state)
{
	PGresult *res = rows_fixture();
	json_error_t jerr;
	json_t *doc, *o;
	char *out;
	int rc;
	(void)state;

	out = rows_output(res, CTL_FORMAT_TEXT, &rc);
	assert_int_equal(rc, CTL_OK);
	assert_string_equal(out, "id\tname\tok\n1\tValle \"alta\"\tà\tyes\n2\tMonte\tno\n3\t\t\n");
	free(out);
	out = rows_output(res, CTL_FORMAT_JSON, &rc);
	assert_int_equal(rc, CTL_OK);
	doc = json_loads(out, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(json_array_size(doc), 3);
	o = json_array_get(doc, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "id")), 1);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Valle \"alta\"\tà");
	assert_true(json_is_true(json_object_get(o, "ok")));
	assert_true(json_is_false(json_object_get(json_array_get(doc, 1), "ok")));
	assert_true(json_is_null(json_object_get(json_array_get(doc, 2), "name")));
	json_decref(doc);
	free(out);
	/* Text PostgreSQL would never hold, but no invalid JSON either way. */
	assert_int_equal(PQsetvalue(res, 1, 1, "\xff", 1), 1);
	out = rows_output(res, CTL_FORMAT_JSON, &rc);
	assert_int_equal(rc, CTL_FAIL);
	assert_string_equal(out, "");
	free(out);
	PQclear(res);
	/* No rows: an empty array. */
	res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	out = rows_output(res, CTL_FORMAT_JSON, &rc);
	assert_string_equal(out, "[]\n");
	free(out);
	PQclear(res);
}

static void test_parse_time(void **state)
{
	int64_t ms = 0;
	(void)state;

	assert_int_equal(ctl_parse_time("2026-11-23", &ms), 0);
	assert_int_equal(ms, 1795392000000LL);
	assert_int_equal(ctl_parse_time("2026-11-23T10:59", &ms), 0);
	assert_int_equal(ms, 1795392000000LL + (10 * 3600 + 59 * 60) * 1000LL);
	assert_int_equal(ctl_parse_time("2026-11-23T10:59:31Z", &ms), 0);
	assert_int_equal(ms, 1795392000000LL + (10 * 3600 + 59 * 60 + 31) * 1000LL);
	assert_int_equal(ctl_parse_time("2026-11-23 10:59:31", &ms), 0);
	assert_int_equal(ctl_parse_time("2026-11-23T", &ms), -1);
	assert_int_equal(ctl_parse_time("2026-11-23T25:00", &ms), -1);
	assert_int_equal(ctl_parse_time("2026-13-01", &ms), -1);
	assert_int_equal(ctl_parse_time("yesterday", &ms), -1);
	assert_int_equal(ctl_parse_time("2026-11-23T10:59+01", &ms), -1);
	assert_int_equal(ctl_parse_time("", &ms), -1);
}

/* dead replay: one job, or filters; --dry-run. */
static void test_dead_replay_args(void **state)
{
	static const char notice[] = "7d0c4d6e-3f0a-4c55-9d7e-2b1f6f0e9a10";
	Banditore__V1__EventMeta meta = BANDITORE__V1__EVENT_META__INIT;
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	struct dead_replay_args a;
	char *argv[12];
	int argc;
	(void)state;

	meta.comune_id = "demo";
	job.meta = &meta;
	job.job_id = "notice:x:1:2";
	job.notice_id = (char *)notice;
	argv[0] = "replay", argv[1] = "--notice", argv[2] = (char *)notice, argv[3] = "--comune";
	argv[4] = "demo", argv[5] = "--since", argv[6] = "2026-11-23T10:00", argv[7] = "--dry-run";
	argc = 8;
	assert_int_equal(dead_replay_args(argc, argv, &a), CTL_OK);
	assert_true(a.dry_run);
	assert_string_equal(a.notice, notice);
	assert_string_equal(a.comune, "demo");
	assert_true(dead_match(&a, &job, a.since_ms));
	assert_false(dead_match(&a, &job, a.since_ms - 1));
	meta.comune_id = "valle";
	assert_false(dead_match(&a, &job, a.since_ms));
	meta.comune_id = "demo";
	job.notice_id = "";
	assert_false(dead_match(&a, &job, a.since_ms));
	/* --job: that job only. */
	argv[1] = "--job", argv[2] = "notice:x:1:2";
	assert_int_equal(dead_replay_args(3, argv, &a), CTL_OK);
	assert_true(dead_match(&a, &job, 0));
	job.job_id = "notice:x:1:3";
	assert_false(dead_match(&a, &job, 0));
	/* --all: everything. */
	argv[1] = "--all";
	assert_int_equal(dead_replay_args(2, argv, &a), CTL_OK);
	assert_true(dead_match(&a, &job, 0));
	assert_false(a.dry_run);

	assert_int_equal(run(ctl_dead_replay, "replay", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_dead_replay, "replay", "--dry-run", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_dead_replay, "replay", "--job", "a", "--all", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_dead_replay, "replay", "--job", "a", "--comune", "demo", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_dead_replay, "replay", "--job", "", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_dead_replay, "replay", "--notice", "42", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_dead_replay, "replay", "--since", "ieri", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_dead_replay, "replay", "--comune", "", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_dead_replay, "replay", "--all", "extra", NULL), CTL_USAGE);
}

static void test_notice_cancel_usage(void **state)
{
	char long_reason[600];
	(void)state;

	memset(long_reason, 'x', 501);
	long_reason[501] = '\0';
	assert_int_equal(run(ctl_notice_cancel, "cancel", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_notice_cancel, "cancel", "not-a-uuid", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_notice_cancel, "cancel", "7d0c4d6e-3f0a-4c55-9d7e-2b1f6f0e9a10",
	                     "7d0c4d6e-3f0a-4c55-9d7e-2b1f6f0e9a11", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_notice_cancel, "cancel", "7d0c4d6e-3f0a-4c55-9d7e-2b1f6f0e9a10",
	                     "--reason", long_reason, NULL), CTL_USAGE);
	assert_int_equal(run(ctl_notice_cancel, "cancel", "7d0c4d6e-3f0a-4c55-9d7e-2b1f6f0e9a10",
	                     "--reason", "\xc3(", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_notice_cancel, "cancel", "7d0c4d6e-3f0a-4c55-9d7e-2b1f6f0e9a10",
	                     "--bogus", NULL), CTL_USAGE);
}

static void test_channel_set_usage(void **state)
{
	(void)state;

	assert_int_equal(run(ctl_channel_set, "set", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", NULL), CTL_USAGE);   /* nothing to change */
	assert_int_equal(run(ctl_channel_set, "set", "tre", "--rate", "5", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--rate", "0", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--rate", "fast", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--template", "", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "4", "--rate", "5", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--display-name", "x", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_disable, "disable", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_disable, "disable", "0", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_enable, "enable", "3", "4", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_enable, "enable", "-3", NULL), CTL_USAGE);
}

/* comune set: quiet hours, archive address, single-person urgent sending. */
static void test_comune_set_usage(void **state)
{
	(void)state;

	assert_int_equal(run(ctl_comune_set, "set", "demo", "--quiet-start", "24:00", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--quiet-end", "7:30", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--quiet-end", "07:60", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--archive-base-url", "ftp://x", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--site-origin", "javascript:x", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--allow-single-urgent", "maybe", NULL),
	                 CTL_USAGE);
	/* The WhatsApp price: euros, at most 4 decimals, under 10. */
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--wa-price", "-0.03", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--wa-price", "0,03", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--wa-price", "0.00001", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--wa-price", "10", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--wa-price", "1.", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--wa-price", "", NULL), CTL_USAGE);
}

/* channel set: the public number and the bot's username (opt-in links). */
static void test_channel_set_public_usage(void **state)
{
	(void)state;

	assert_int_equal(run(ctl_channel_set, "set", "3", "--display-number", "06123", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--display-number", "+39 06 1234567",
	                     NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--display-number", "0390612345678",
	                     NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--bot-username", "@ab", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--bot-username", "1comune_bot", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_channel_set, "set", "3", "--bot-username", "comune-bot", NULL),
	                 CTL_USAGE);
}

/* gdpr erase: --yes, or a terminal to confirm on. */
static void test_gdpr_erase_needs_yes(void **state)
{
	(void)state;

	assert_non_null(freopen("/dev/null", "r", stdin));
	assert_int_equal(run(ctl_gdpr_erase, "erase", "3331234567", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_erase, "erase", "--telegram", "555000111", "--comune", "demo",
	                     NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_export, "export", "3331234567", "--yes", NULL), CTL_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opt_format),
		cmocka_unit_test(test_rows_print),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_dead_replay_args),
		cmocka_unit_test(test_notice_cancel_usage),
		cmocka_unit_test(test_channel_set_usage),
		cmocka_unit_test(test_comune_set_usage),
		cmocka_unit_test(test_channel_set_public_usage),
		cmocka_unit_test(test_gdpr_erase_needs_yes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
