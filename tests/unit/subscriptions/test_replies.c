/*
 * Replies quote the commands as citizens type them on the channel's kind
 * (commands.c: one entry per kind), and a kind without an entry has none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "replies.h"

#define WA BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP
#define TG BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM

static struct topic topics[] = { { "acqua", "Acqua", "ACQUA" } };

/* Settings of a channel of kind, with the comune's own join keywords. */
static struct settings channel(channel_kind kind, char *kw_join)
{
	return (struct settings){ .kind = kind, .cmds = commands_of(kind),
		                  .comune_name = "Comune di Prova", .contact = "",
		                  .welcome = "Benvenuto.", .kw_join = kw_join, .kw_leave = "",
		                  .topics = topics, .ntopics = 1 };
}

/* true if text contains each of the words. */
static void assert_has(char *text, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strstr(text, *words) == NULL)
			fail_msg("\"%s\" not in \"%s\"", *words, text);
	free(text);
}

static void test_every_kind_has_commands(void **state)
{
	(void)state;
	for (int k = 1; k <= 2; k++) {
		const struct commands *c = commands_of((channel_kind)k);
		assert_non_null(c);
		assert_int_equal(c->kind, k);
		assert_non_null(c->source);
		assert_non_null(c->join);
		assert_non_null(c->leave);
	}
	assert_null(commands_of(BANDITORE__V1__CHANNEL_KIND__CHANNEL_UNSPECIFIED));
	assert_null(commands_of((channel_kind)9));
	assert_string_equal(commands_of(WA)->source, "keyword");
	assert_string_equal(commands_of(TG)->source, "telegram");
}

static void test_whatsapp_words(void **state)
{
	struct settings wa = channel(WA, "ISCRIVIMI ATTIVA"), plain = channel(WA, "");
	(void)state;

	assert_has(reply_help(&wa), (const char *const[]){ "ISCRIVIMI per iscriverti",
		   "DISATTIVA per cancellarti", "TEMI per scegliere", "AIUTO per questo", NULL });
	assert_has(reply_not_subscribed(&plain), (const char *const[]){ "scrivi ATTIVA.", NULL });
	assert_has(reply_already(&plain), (const char *const[]){ "scrivi DISATTIVA.", NULL });
	assert_has(reply_auto(&wa), (const char *const[]){ "Scrivi AIUTO per i comandi.", NULL });
}

/* Telegram quotes the bot's commands whatever the comune's keywords. */
static void test_telegram_words(void **state)
{
	struct settings tg = channel(TG, "ISCRIVIMI");
	(void)state;

	assert_has(reply_help(&tg), (const char *const[]){ "/start per iscriverti",
		   "/stop per cancellarti", "/temi per scegliere", "/aiuto per questo", NULL });
	assert_has(reply_not_subscribed(&tg), (const char *const[]){ "scrivi /start.", NULL });
	assert_has(reply_already(&tg), (const char *const[]){ "scrivi /stop.", NULL });
	assert_has(reply_auto(&tg), (const char *const[]){ "Scrivi /aiuto per i comandi.", NULL });
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_has_commands),
		cmocka_unit_test(test_whatsapp_words),
		cmocka_unit_test(test_telegram_words),
	};
	return cmocka_run_group_tests_name("replies", tests, NULL, NULL);
}
