/* UTF-8 validation, truncation between characters and repair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

struct valid_case {
	const char *in;
	size_t len;        /* bytes of in */
	size_t bad_at;     /* utf8_invalid_at, == len when valid */
};

#define V(s, at) { s, sizeof(s) - 1, at }
#define OK(s) { s, sizeof(s) - 1, sizeof(s) - 1 }

static const struct valid_case valid_cases[] = {
	OK(""),
	OK("Acqua sospesa in via Roma"),
	OK("Citt\xC3\xA0 di Forl\xC3\xAC"),                  /* à, ì: two bytes */
	OK("\xE2\x82\xAC 10"),                               /* €: three bytes */
	OK("Allerta \xF0\x9F\x8C\x8A\xF0\x9F\x9A\xA8"),       /* 🌊🚨: four bytes */
	OK("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9"),   /* 👨‍👩 with a ZWJ */
	OK("\xEF\xBF\xBD"),                                  /* U+FFFD itself */
	OK("\xF4\x8F\xBF\xBF"),                              /* U+10FFFF, the last */
	OK("\xED\x9F\xBF"),                                  /* U+D7FF, below surrogates */
	OK("\xEE\x80\x80"),                                  /* U+E000, above them */
	V("abc\x80", 3),                                     /* stray continuation */
	V("Citt\xC3", 4),                                    /* à cut in the middle */
	V("\xE2\x82", 0),                                    /* € cut */
	V("\xF0\x9F\x8C", 0),                                /* 🌊 cut */
	V("\xC0\xAF", 0),                                    /* overlong '/' */
	V("\xC1\xBF", 0),                                    /* overlong */
	V("\xE0\x80\xAF", 0),                                /* overlong, three bytes */
	V("\xF0\x80\x80\xAF", 0),                            /* overlong, four bytes */
	V("x\xED\xA0\x80", 1),                               /* U+D800, a surrogate */
	V("\xED\xBF\xBF", 0),                                /* U+DFFF */
	V("\xF4\x90\x80\x80", 0),                            /* U+110000 */
	V("\xF5\x80\x80\x80", 0),
	V("\xFF", 0),
	V("\xC3\x28", 0),                                    /* lead, then ASCII */
	V("caf\xE9", 3),                                     /* Latin-1 é, not UTF-8 */
};

/* Every case of the table, validated and located. */
static void test_valid_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		const struct valid_case *c = &valid_cases[i];
		assert_int_equal(utf8_invalid_at(c->in, c->len), c->bad_at);
		assert_int_equal(utf8_valid(c->in, c->len), c->bad_at == c->len);
	}
}

/* A valid sequence must end within the bytes one may read. */
static void test_seq_respects_avail(void **state)
{
	const unsigned char euro[] = { 0xE2, 0x82, 0xAC };
	(void)state;

	assert_int_equal(utf8_seq(euro, 3), 3);
	assert_int_equal(utf8_seq(euro, 2), 0);
	assert_int_equal(utf8_seq(euro, 0), 0);
	assert_int_equal(utf8_decode(euro, 3), 0x20AC);
	assert_int_equal(utf8_decode((const unsigned char *)"\xF0\x9F\x99\x82", 4), 0x1F642);
}

struct cut_case {
	const char *in;
	size_t max;
	const char *plain;      /* utf8_truncate without ellipsis, size max + 1 */
	const char *ellipsis;   /* with it */
};

static const struct cut_case cut_cases[] = {
	{ "Acqua", 10, "Acqua", "Acqua" },
	{ "Acqua", 5, "Acqua", "Acqua" },
	{ "Acqua sospesa", 5, "Acqua", "Ac\xE2\x80\xA6" },
	/* à (C3 A0) straddles the cut */
	{ "citt\xC3\xA0", 5, "citt", "ci\xE2\x80\xA6" },
	{ "citt\xC3\xA0!", 6, "citt\xC3\xA0", "cit\xE2\x80\xA6" },
	/* € (E2 82 AC) at the cut: one or two of its bytes would fit */
	{ "ab\xE2\x82\xAC", 3, "ab", "\xE2\x80\xA6" },
	{ "ab\xE2\x82\xAC", 4, "ab", "a\xE2\x80\xA6" },
	{ "ab\xE2\x82\xAC" "c", 5, "ab\xE2\x82\xAC", "ab\xE2\x80\xA6" },
	/* an emoji (4 bytes) at the cut */
	{ "ok \xF0\x9F\x99\x82", 6, "ok ", "ok \xE2\x80\xA6" },
	{ "\xF0\x9F\x99\x82\xF0\x9F\x99\x82", 7, "\xF0\x9F\x99\x82", "\xF0\x9F\x99\x82\xE2\x80\xA6" },
	{ "\xF0\x9F\x99\x82\xF0\x9F\x99\x82", 6, "\xF0\x9F\x99\x82", "\xE2\x80\xA6" },
	/* room for less than the ellipsis: a plain cut */
	{ "\xC3\xA8\xC3\xA8", 2, "\xC3\xA8", "\xC3\xA8" },
	{ "\xC3\xA8\xC3\xA8", 1, "", "" },
	/* invalid bytes are characters of their own */
	{ "ab\xFF\xFE" "cd", 4, "ab\xFF\xFE", "a\xE2\x80\xA6" },
};

/* The table, with and without "…"; the result is valid whenever the input is. */
static void test_truncate_table(void **state)
{
	char buf[64];
	(void)state;

	for (size_t i = 0; i < sizeof(cut_cases) / sizeof(cut_cases[0]); i++) {
		const struct cut_case *c = &cut_cases[i];
		bool cut = utf8_truncate(buf, c->max + 1, c->in, false);
		assert_string_equal(buf, c->plain);
		assert_int_equal(cut, strlen(c->in) > c->max);
		(void)utf8_truncate(buf, c->max + 1, c->in, true);
		assert_string_equal(buf, c->ellipsis);
		assert_true(strlen(buf) <= c->max);
		if (utf8_valid_str(c->in))
			assert_true(utf8_valid_str(buf));
	}
}

/* The composer's bug: 238 ASCII letters then accented ones, cut at 239. */
static void test_truncate_reason_at_239(void **state)
{
	char reason[600], detail[240];
	(void)state;

	memset(reason, 'a', 238);
	reason[238] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(reason, "\xC3\xA8");   /* è */
	(void)utf8_truncate(detail, sizeof(detail), reason, false);
	assert_int_equal(strlen(detail), 238);   /* not 239: è is not split */
	assert_true(utf8_valid_str(detail));
	(void)utf8_truncate(detail, sizeof(detail), reason, true);
	assert_true(utf8_valid_str(detail));
	assert_true(strlen(detail) <= 239);
}

/* Cutting in place, as a buffer shortens itself. */
static void test_truncate_in_place(void **state)
{
	char buf[] = "perch\xC3\xA9 s\xC3\xAC";
	(void)state;

	(void)utf8_truncate(buf, 7, buf, false);
	assert_string_equal(buf, "perch");
}

struct repair_case {
	const char *in;
	size_t len;
	const char *want;
};

#define R(s, w) { s, sizeof(s) - 1, w }

static const struct repair_case repair_cases[] = {
	R("Citt\xC3\xA0", "Citt\xC3\xA0"),
	R("caf\xE9", "caf\xEF\xBF\xBD"),
	R("\xC3", "\xEF\xBF\xBD"),
	R("a\xED\xA0\x80z", "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz"),   /* surrogate: 3 bytes bad */
	R("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"),
	R("\xF0\x9F\x99" "!", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!"),
	R("x\0y", "xy"),                                               /* NUL dropped */
	R("\xF0\x9F\x99\x82", "\xF0\x9F\x99\x82"),
};

/* Repair: valid text untouched, every invalid byte one U+FFFD. */
static void test_repair_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(repair_cases) / sizeof(repair_cases[0]); i++) {
		char *out = utf8_repair(repair_cases[i].in, repair_cases[i].len);
		assert_string_equal(out, repair_cases[i].want);
		assert_true(utf8_valid_str(out));
		free(out);
	}
}

/* utf8_format: repaired, then cut between characters with "…". */
static void test_format(void **state)
{
	char small[12], big[64];
	(void)state;

	utf8_format(big, sizeof(big), "http %d: %s", 400, "Par\xE0metro");
	assert_string_equal(big, "http 400: Par\xEF\xBF\xBDmetro");
	utf8_format(small, sizeof(small), "%s", "\xC3\xA8\xC3\xA8\xC3\xA8\xC3\xA8\xC3\xA8\xC3\xA8");
	assert_string_equal(small, "\xC3\xA8\xC3\xA8\xC3\xA8\xC3\xA8\xE2\x80\xA6");
	assert_true(utf8_valid_str(small));
}

/* Characters, counting an invalid byte as one. */
static void test_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("citt\xC3\xA0"), 5);
	assert_int_equal(utf8_chars("\xF0\x9F\x99\x82\xE2\x82\xAC"), 2);
	assert_int_equal(utf8_chars("a\xFF" "b"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_table),
		cmocka_unit_test(test_seq_respects_avail),
		cmocka_unit_test(test_truncate_table),
		cmocka_unit_test(test_truncate_reason_at_239),
		cmocka_unit_test(test_truncate_in_place),
		cmocka_unit_test(test_repair_table),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_chars),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
