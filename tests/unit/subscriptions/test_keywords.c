/* Consent keywords: case, accents, whitespace, Italian and English forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "keywords.h"

struct kw_case {
	const char *text;
	enum kw_action want;
};

static const struct kw_case cases[] = {
	{ "ATTIVA", KW_JOIN },
	{ "attiva", KW_JOIN },
	{ "  Attiva  ", KW_JOIN },
	{ "Attiva!", KW_JOIN },
	{ "\tattiva.\n", KW_JOIN },
	{ "ISCRIZIONE", KW_JOIN },
	{ "Iscrivimi", KW_JOIN },
	{ "start", KW_JOIN },
	{ "/start", KW_JOIN },
	{ "àttiva", KW_JOIN },            /* accent typed by mistake */
	{ "DISATTIVA", KW_LEAVE },
	{ "disattiva", KW_LEAVE },
	{ "Disattivà", KW_LEAVE },
	{ "STOP", KW_LEAVE },
	{ "Cancellami", KW_LEAVE },
	{ "/stop", KW_LEAVE },
	{ "ATTIVA ORA", KW_NONE },        /* topic choice comes later, not a join */
	{ "buongiorno, quando passa la raccolta?", KW_NONE },
	{ "", KW_NONE },
	{ "   ", KW_NONE },
	{ "ATTIVAZIONE", KW_NONE },
	{ "DIS ATTIVA", KW_NONE },
	/* decoration: emoji, symbols, punctuation */
	{ "\xC3\x80ttiva \xF0\x9F\x99\x82", KW_JOIN },                  /* Àttiva 🙂 */
	{ "\xF0\x9F\x91\x89 disattiva", KW_LEAVE },                       /* 👉 disattiva */
	{ "ATTIVA \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBB", KW_JOIN },          /* 👍🏻, skin tone */
	{ "\xE2\x9D\xA4\xEF\xB8\x8F attiva \xE2\x9D\xA4\xEF\xB8\x8F", KW_JOIN }, /* ❤️ */
	{ "\xF0\x9F\x87\xAE\xF0\x9F\x87\xB9 Attiva", KW_JOIN },          /* 🇮🇹 flag */
	{ "\xC2\xAB" "attiva\xC2\xBB", KW_JOIN },                              /* «attiva» */
	{ "Attiva!!! :)", KW_JOIN },
	{ "...stop...", KW_LEAVE },
	{ "\xE2\x9C\x8B STOP", KW_LEAVE },                                 /* ✋ */
	{ "Attiva\xE2\x80\xA6", KW_JOIN },                                 /* Attiva… */
	/* courtesy at either end */
	{ "Attiva per favore", KW_JOIN },
	{ "ciao, ATTIVA!", KW_JOIN },
	{ "Buongiorno, vorrei... no: ATTIVA", KW_NONE },
	{ "Salve! Disattiva grazie \xF0\x9F\x99\x8F", KW_LEAVE },           /* 🙏 */
	{ "Grazie mille, disattiva per piacere", KW_LEAVE },
	{ "buonasera attiva perfavore", KW_JOIN },
	{ "CIAO", KW_NONE },
	{ "grazie", KW_NONE },
	{ "ciao \xF0\x9F\x98\x80", KW_NONE },
	{ "ciao /start", KW_JOIN },
	/* a keyword inside a sentence is not a command */
	{ "non voglio che attiva niente", KW_NONE },
	{ "come si attiva il servizio?", KW_NONE },
	{ "ciao, come si attiva?", KW_NONE },
	{ "stop alle notifiche di ieri, grazie", KW_NONE },
	{ "attiva per favore il servizio", KW_NONE },
	{ "per favore ciao", KW_NONE },
	{ "\xF0\x9F\x99\x82", KW_NONE },
	{ "- @ -", KW_NONE },
};

static void test_match_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (kw_match(cases[i].text) != cases[i].want)
			fail_msg("\"%s\": got %s, want %s", cases[i].text,
			         kw_action_name(kw_match(cases[i].text)), kw_action_name(cases[i].want));
	}
}

static void test_null_and_overlong(void **state)
{
	char longtext[200];
	(void)state;

	assert_int_equal(kw_match(NULL), KW_NONE);
	memset(longtext, 'A', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	assert_int_equal(kw_match(longtext), KW_NONE);
}

static void test_fold(void **state)
{
	char out[64];
	(void)state;

	kw_fold("  Città è già! ", out, sizeof(out));
	assert_string_equal(out, "CITTA E GIA");
	kw_fold("abc\xF0\x9F\x99\x82", out, 6);      /* no room for the emoji: not half of it */
	assert_string_equal(out, "ABC");
}

static const struct kw_topic topics[] = {
	{ "viabilita", "VIABILITA" },
	{ "acqua", "ACQUA" },
	{ "protezione-civile", "ALLERTA" },
};

/* Parses with the demo topics and the default lists. */
static struct kw_command parse(const char *text, const struct kw_lists *lists)
{
	struct kw_command cmd;
	kw_parse(text, lists, topics, 3, &cmd);
	return cmd;
}

static void test_join_with_topics(void **state)
{
	struct kw_command c = parse("Attiva viabilità, acqua", NULL);
	(void)state;

	assert_int_equal(c.action, KW_JOIN);
	assert_int_equal(c.ntopics, 2);
	assert_string_equal(c.topics[0], "viabilita");
	assert_string_equal(c.topics[1], "acqua");
	c = parse("ATTIVA ALLERTA ALLERTA", NULL);
	assert_int_equal(c.ntopics, 1);                  /* no duplicates */
	assert_string_equal(c.topics[0], "protezione-civile");
	assert_int_equal(parse("ATTIVA BICICLETTE", NULL).action, KW_NONE);
}

static void test_topics_alone_are_a_choice(void **state)
{
	struct kw_command c = parse("viabilita", NULL);
	(void)state;

	assert_int_equal(c.action, KW_CHOOSE);
	assert_int_equal(c.ntopics, 1);
	c = parse("Tutti", NULL);
	assert_int_equal(c.action, KW_CHOOSE);
	assert_true(c.all_topics);
	assert_int_equal(c.ntopics, 0);
	c = parse("protezione-civile", NULL);        /* by slug too */
	assert_int_equal(c.action, KW_CHOOSE);
	assert_string_equal(c.topics[0], "protezione-civile");
}

static void test_other_commands(void **state)
{
	(void)state;
	assert_int_equal(parse("temi", NULL).action, KW_TOPICS);
	assert_int_equal(parse("Aiuto", NULL).action, KW_HELP);
	assert_int_equal(parse("INFO", NULL).action, KW_HELP);
	assert_int_equal(parse("conferma", NULL).action, KW_JOIN);
	assert_int_equal(parse("DISATTIVA ACQUA", NULL).action, KW_NONE);
	assert_int_equal(parse("TEMI ACQUA", NULL).action, KW_NONE);
}

static void test_decorated_join_with_topics(void **state)
{
	struct kw_command c = parse("Buongiorno! Attiva viabilit\xC3\xA0 \xF0\x9F\x9A\x97 e acqua per favore", NULL);
	(void)state;

	assert_int_equal(c.action, KW_NONE);   /* "E" is no topic: nothing guessed */
	c = parse("Ciao \xF0\x9F\x91\x8B attiva viabilit\xC3\xA0, acqua \xF0\x9F\x92\xA7 grazie", NULL);
	assert_int_equal(c.action, KW_JOIN);
	assert_int_equal(c.ntopics, 2);
	assert_string_equal(c.topics[0], "viabilita");
	assert_string_equal(c.topics[1], "acqua");
	c = parse("\xF0\x9F\x8C\x8A ALLERTA \xF0\x9F\x8C\x8A", NULL);   /* 🌊 ALLERTA 🌊 */
	assert_int_equal(c.action, KW_CHOOSE);
	assert_string_equal(c.topics[0], "protezione-civile");
}

static void test_telegram_commands(void **state)
{
	struct kw_command c = parse("/start viabilita", NULL);
	(void)state;

	assert_int_equal(c.action, KW_JOIN);
	assert_int_equal(c.ntopics, 1);
	assert_int_equal(parse("/start@ComuneDemoBot", NULL).action, KW_JOIN);
	assert_int_equal(parse("/stop", NULL).action, KW_LEAVE);
	assert_int_equal(parse("/temi", NULL).action, KW_TOPICS);
	assert_int_equal(parse("/aiuto", NULL).action, KW_HELP);
	assert_int_equal(parse("/help", NULL).action, KW_HELP);
	assert_int_equal(parse("/boh", NULL).action, KW_NONE);
}

static void test_comune_lists_replace_defaults(void **state)
{
	const struct kw_lists greve = { "ISCRIZIONE", "CANCELLAZIONE", NULL, NULL };
	(void)state;

	assert_int_equal(parse("Iscrizione", &greve).action, KW_JOIN);
	assert_int_equal(parse("ATTIVA", &greve).action, KW_NONE);
	assert_int_equal(parse("cancellazione", &greve).action, KW_LEAVE);
	assert_int_equal(parse("DISATTIVA", &greve).action, KW_NONE);
	assert_int_equal(parse("conferma", &greve).action, KW_JOIN);  /* always */
	assert_int_equal(parse("temi", &greve).action, KW_TOPICS);    /* default kept */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_with_topics),
		cmocka_unit_test(test_topics_alone_are_a_choice),
		cmocka_unit_test(test_other_commands),
		cmocka_unit_test(test_telegram_commands),
		cmocka_unit_test(test_decorated_join_with_topics),
		cmocka_unit_test(test_comune_lists_replace_defaults),
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_null_and_overlong),
		cmocka_unit_test(test_fold),
	};
	return cmocka_run_group_tests_name("keywords", tests, NULL, NULL);
}
