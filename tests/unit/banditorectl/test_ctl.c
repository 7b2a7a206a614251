/* banditorectl: number and file helpers, and the command-line checks that
 * answer "usage error" (exit 2) before touching a database or a broker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

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

static void test_parse_long(void **state)
{
	long v = -1;
	(void)state;

	assert_int_equal(ctl_parse_long("4", 1, 1000, &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(ctl_parse_long("1000", 1, 1000, &v), 0);
	assert_int_equal(ctl_parse_long("0", 1, 1000, &v), -1);
	assert_int_equal(ctl_parse_long("1001", 1, 1000, &v), -1);
	assert_int_equal(ctl_parse_long("", 1, 1000, &v), -1);
	assert_int_equal(ctl_parse_long("12x", 1, 1000, &v), -1);
	assert_int_equal(ctl_parse_long("99999999999999999999", 1, 1000, &v), -1);
	assert_int_equal(v, 1000);
}

static void test_read_file(void **state)
{
	char path[] = "test_ctl_XXXXXX";  /* in the working folder, removed below */
	int fd = mkstemp(path);
	size_t len = 0;
	char *s;
	(void)state;

	assert_true(fd >= 0);
	/* Larger than the first buffer, to exercise growth. */
	for (int i = 0; i < 3000; i++)
		assert_int_equal(write(fd, "abcd", 4), 4);
	close(fd);
	s = ctl_read_file(path, &len);
	unlink(path);
	assert_non_null(s);
	assert_int_equal(len, 12000);
	assert_int_equal(strlen(s), 12000);
	assert_memory_equal(s + 11996, "abcd", 4);
	free(s);
	assert_null(ctl_read_file("/nonexistent/banditore", NULL));
}

static void test_usage_errors(void **state)
{
	(void)state;

	assert_int_equal(run(ctl_comune_add, "add", "demo", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", "--kind", "sms",
	                     "--sender", "1", "--token-ref", "env:T", "--welcome", "w",
	                     "--goodbye", "g", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", "--kind", "whatsapp",
	                     "--sender", "1", "--token-ref", "env:T", "--welcome", "w",
	                     "--goodbye", "g", "--rate", "0", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_add, "add", "--comune", "demo", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_add, "add", "--comune", "demo", "--name", "x",
	                     "--role", "mayor", NULL), CTL_USAGE);
	/* A consortium key's scope: exactly one of --comuni and --all. */
	assert_int_equal(run(ctl_apikey_add, "add", "--comune", "demo", "--name", "x",
	                     "--role", "consortium", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_add, "add", "--comune", "demo", "--name", "x",
	                     "--role", "consortium", "--all", "--comuni", "a,b", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_add, "add", "--comune", "demo", "--name", "x",
	                     "--role", "approver", "--all", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_add, "add", "--comune", "demo", "--name", "x",
	                     "--role", "consortium", "--comuni", "a,,b", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_scope, "scope", "--all", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_scope, "scope", "7", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_revoke, "revoke", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_revoke, "revoke", "seven", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_topics, "topics", "--partitions", "0", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_topics, "topics", "extra", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_ping, "ping", "--timeout-ms", "x", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_subscribers_count, "count", "--bogus", NULL), CTL_USAGE);
}

/* --comuni becomes an array literal, duplicates dropped, ids checked. */
static void test_scope_parse(void **state)
{
	struct ctl_scope s;
	(void)state;

	assert_int_equal(ctl_scope_parse("consortium", "valle,monte,valle", false, &s), CTL_OK);
	assert_string_equal(s.comuni, "{valle,monte}");
	assert_false(s.all);
	ctl_scope_free(&s);
	assert_int_equal(ctl_scope_parse("consortium", NULL, true, &s), CTL_OK);
	assert_string_equal(s.comuni, "{}");
	assert_true(s.all);
	ctl_scope_free(&s);
	assert_int_equal(ctl_scope_parse("editor", NULL, false, &s), CTL_OK);
	assert_string_equal(s.comuni, "{}");
	ctl_scope_free(&s);
	assert_int_equal(ctl_scope_parse("consortium", "Valle", false, &s), CTL_USAGE);
	assert_int_equal(ctl_scope_parse("consortium", "a,{b}", false, &s), CTL_USAGE);
	assert_int_equal(ctl_scope_parse("consortium", "", false, &s), CTL_USAGE);
}

/* Keyword lists: folded, one word each, duplicates dropped. */
static void test_keywords(void **state)
{
	char kw[33], *arr;
	(void)state;

	assert_int_equal(ctl_keyword_fold(" Viabilità ", 12, kw), 0);
	assert_string_equal(kw, "VIABILITA");
	assert_int_equal(ctl_keyword_fold("PERCHÉ", strlen("PERCHÉ"), kw), 0);
	assert_string_equal(kw, "PERCHE");
	assert_int_equal(ctl_keyword_fold("due parole", 10, kw), -1);
	assert_int_equal(ctl_keyword_fold("  ", 2, kw), -1);
	assert_int_equal(ctl_keyword_fold("stop!", 5, kw), -1);
	assert_int_equal(ctl_keyword_fold("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", 33, kw), -1);

	arr = ctl_keywords_array("Attivà, iscrivimi,ATTIVA ,start");
	assert_non_null(arr);
	assert_string_equal(arr, "{ATTIVA,ISCRIVIMI,START}");
	free(arr);
	arr = ctl_keywords_array("ATTIVAMI,ATTIVA");  /* a prefix is not a duplicate */
	assert_non_null(arr);
	assert_string_equal(arr, "{ATTIVAMI,ATTIVA}");
	free(arr);
	arr = ctl_keywords_array("");
	assert_string_equal(arr, "{}");
	free(arr);
	assert_null(ctl_keywords_array("ATTIVA,,STOP"));
	assert_null(ctl_keywords_array("ATTIVA,\"x\""));
}

/* The new directory commands refuse bad input before any connection. */
static void test_usage_errors_directory(void **state)
{
	(void)state;

	assert_int_equal(run(ctl_comune_set, "set", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--auto-reply-every", "-1", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--join-keywords", "a b", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_comune_set, "set", "demo", "--privacy-url", "ftp://x", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_comune_list, "list", "extra", NULL), CTL_USAGE);
	/* Telegram options on WhatsApp and the other way round. */
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", "--kind", "whatsapp",
	                     "--sender", "1", "--token-ref", "env:T", "--welcome", "w",
	                     "--goodbye", "g", "--tg-public-channel", "@comunedemo", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", "--kind", "telegram",
	                     "--sender", "1", "--token-ref", "env:T", "--welcome", "w",
	                     "--goodbye", "g", "--confirm-template", "conferma", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", "--kind", "telegram",
	                     "--sender", "1", "--token-ref", "env:T", "--tg-channel-only", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", "--kind", "telegram",
	                     "--sender", "1", "--token-ref", "env:T", "--tg-public-channel",
	                     "no-at", "--tg-channel-only", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", "--kind", "whatsapp",
	                     "--sender", "1", "--token-ref", "plaintoken", "--welcome", "w",
	                     "--goodbye", "g", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_add, "add", "--comune", "demo", "--kind", "whatsapp",
	                     "--sender", "1", "--token-ref", "env:T", "--welcome", "w",
	                     "--goodbye", "g", "--template-lang", "it", "--confirm-template",
	                     "conferma:en", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_channel_list, "list", "extra", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_topic_add, "add", "viabilita", "Viabilità", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_topic_add, "add", "--comune", "demo", "Viabilita", "V", NULL),
	                 CTL_USAGE);
	assert_int_equal(run(ctl_topic_add, "add", "--comune", "demo", "x", "X", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_topic_add, "add", "--comune", "demo", "meteo", "Meteo",
	                     "--keyword", "due parole", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_topic_list, "list", NULL), CTL_USAGE);
}

/* GDPR commands: numbers in any Italian form, refused before any connection. */
static void test_gdpr_args(void **state)
{
	struct ctl_gdpr_args ga;
	char a0[] = "export", a1[] = "0039 333-123 4567", a2[] = "--comune", a3[] = "demo";
	char *argv[] = { a0, a1, a2, a3, NULL };
	char t0[] = "erase", t1[] = "--telegram", t2[] = "555000111", t3[] = "--requested-by",
	     t4[] = "ticket 9";
	char *targv[] = { t0, t1, t2, t3, t4, NULL };
	(void)state;


	assert_int_equal(ctl_gdpr_args(4, argv, &ga), CTL_OK);
	assert_string_equal(ga.address, "+393331234567");
	assert_int_equal(ga.kind, BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP);
	assert_string_equal(ga.comune, "demo");
	assert_string_equal(ga.requested_by, "admin");
	/* A Telegram chat instead of a number. */
	assert_int_equal(ctl_gdpr_args(5, targv, &ga), CTL_OK);
	assert_string_equal(ga.address, "555000111");
	assert_int_equal(ga.kind, BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM);
	assert_string_equal(ga.requested_by, "ticket 9");
	assert_int_equal(run(ctl_gdpr_export, "export", "--telegram", "@comunedemo", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_export, "export", "--telegram", "", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_export, "export", "--telegram", "555000111", "3331234567",
	                     NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_erase, "erase", "--telegram", "555000111", "--requested-by",
	                     "chat 555000111", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_export, "export", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_export, "export", "not-a-number", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_export, "export", "3331234567", "3331234568", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_gdpr_erase, "erase", "12", NULL), CTL_USAGE);
	/* The audit entry must not name the person. */
	assert_int_equal(run(ctl_gdpr_erase, "erase", "3331234567", "--requested-by",
	                     "richiesta di 3331234567", NULL), CTL_USAGE);
	assert_int_equal(run(ctl_apikey_list, "list", "extra", NULL), CTL_USAGE);
}

static void test_migrate_missing_dir_fails(void **state)
{
	(void)state;

	ctl_cfg.pg_dsn = "postgresql://nobody@127.0.0.1:1/none";
	assert_int_equal(run(ctl_migrate, "migrate", "--dir", "/nonexistent/migrations", NULL),
	                 CTL_FAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_scope_parse),
		cmocka_unit_test(test_usage_errors_directory),
		cmocka_unit_test(test_gdpr_args),
		cmocka_unit_test(test_migrate_missing_dir_fails),
	};
	ctl_out = stdout;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
