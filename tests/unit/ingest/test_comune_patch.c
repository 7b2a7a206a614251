/* The bodies of PATCH /api/v1/comune and of the topics' calls
 * (api/comune_patch.c, api/topics_api.c's topic_body_parse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "api/comune_patch.h"
#include "api/topics_api.h"

/* The value of field name after parsing body, or "ERR:<field>". */
static char *patched(const char *body, const char *name)
{
	json_t *root = json_loads(body, 0, NULL);
	struct comune_patch p;
	struct editor_error err;
	char *out;
	int i = comune_field_find(name);

	assert_non_null(root);
	if (comune_patch_parse(root, &p, &err) != 0) {
		out = malloc(64);
		snprintf(out, 64, "ERR:%s", err.field);
	} else {
		out = strdup(i >= 0 && p.values[i] != NULL ? p.values[i] : "(none)");
		comune_patch_free(&p);
	}
	json_decref(root);
	return out;
}

struct patch_case {
	const char *body, *field, *want;
};

static const struct patch_case patch_cases[] = {
	{ "{\"quiet_start\":\"21:30\"}", "quiet_start", "21:30" },
	{ "{\"quiet_start\":\"21:30\"}", "quiet_end", "(none)" },
	{ "{\"quiet_end\":\"25:00\"}", "quiet_end", "ERR:quiet_end" },
	{ "{\"quiet_end\":830}", "quiet_end", "ERR:quiet_end" },
	{ "{\"time_zone\":\"Europe/Rome\"}", "time_zone", "Europe/Rome" },
	{ "{\"time_zone\":\"Europe/Rome; DROP\"}", "time_zone", "ERR:time_zone" },
	{ "{\"join_keywords\":\"Attiva, iscrivimi\"}", "join_keywords", "ATTIVA,ISCRIVIMI" },
	{ "{\"join_keywords\":[\"entra\",\"Città\"]}", "join_keywords", "ENTRA,CITTA" },
	{ "{\"join_keywords\":\"\"}", "join_keywords", "" },
	{ "{\"leave_keywords\":\"basta così\"}", "leave_keywords", "ERR:leave_keywords" },
	{ "{\"help_keywords\":[\"a,b\"]}", "help_keywords", "ERR:help_keywords" },
	{ "{\"wa_price_eur\":0.045}", "wa_price_eur", "0.0450" },
	{ "{\"wa_price_eur\":\"0.03\"}", "wa_price_eur", "0.0300" },
	{ "{\"wa_price_eur\":\"1\"}", "wa_price_eur", "1.0000" },
	{ "{\"wa_price_eur\":12}", "wa_price_eur", "ERR:wa_price_eur" },
	{ "{\"wa_price_eur\":-0.01}", "wa_price_eur", "ERR:wa_price_eur" },
	{ "{\"auto_reply_every_s\":3600}", "auto_reply_every_s", "3600" },
	{ "{\"auto_reply_every_s\":-1}", "auto_reply_every_s", "ERR:auto_reply_every_s" },
	{ "{\"auto_reply_every_s\":\"3600\"}", "auto_reply_every_s", "ERR:auto_reply_every_s" },
	{ "{\"privacy_url\":\"https://comune.example.it/privacy\"}", "privacy_url",
	  "https://comune.example.it/privacy" },
	{ "{\"privacy_url\":\"\"}", "privacy_url", "" },
	{ "{\"privacy_url\":\"javascript:alert(1)\"}", "privacy_url", "ERR:privacy_url" },
	{ "{\"contact_text\":\"Scrivi a urp@comune.example.it\"}", "contact_text",
	  "Scrivi a urp@comune.example.it" },
	{ "{\"name\":\"Altro\"}", "name", "ERR:name" },
	{ "{\"allow_single_urgent\":true}", "name", "ERR:allow_single_urgent" },
	{ "{\"colour\":\"red\"}", "name", "ERR:colour" },
	{ "{}", "name", "ERR:" },
	{ "[]", "name", "ERR:" },
};

static void test_patch_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(patch_cases) / sizeof(patch_cases[0]); i++) {
		char *got = patched(patch_cases[i].body, patch_cases[i].field);
		if (strcmp(got, patch_cases[i].want) != 0)
			fail_msg("%s: %s is \"%s\", want \"%s\"", patch_cases[i].body,
			         patch_cases[i].field, got, patch_cases[i].want);
		free(got);
	}
}

static void test_contact_length(void **state)
{
	char body[2100] = "{\"contact_text\":\"";
	char *got;

	(void)state;
	memset(body + strlen(body), 'a', 1001);
	strcat(body, "\"}");
	got = patched(body, "contact_text");
	assert_string_equal(got, "ERR:contact_text");
	free(got);
}

/* "slug|name|KEYWORD" after parsing body, or "ERR:<field>". */
static char *topic_of(const char *body, bool create)
{
	json_t *root = json_loads(body, 0, NULL);
	struct topic_body tb;
	struct editor_error err;
	char *out = malloc(512);

	assert_non_null(root);
	if (topic_body_parse(root, create, &tb, &err) != 0)
		snprintf(out, 512, "ERR:%s", err.field);
	else
		snprintf(out, 512, "%s|%s|%s", tb.slug, tb.name, tb.keyword);
	json_decref(root);
	return out;
}

static void test_topic_body(void **state)
{
	static const struct {
		const char *body;
		bool create;
		const char *want;
	} cases[] = {
		{ "{\"slug\":\"rifiuti\",\"name\":\"Rifiuti\",\"keyword\":\"rifiuti\"}", true,
		  "rifiuti|Rifiuti|RIFIUTI" },
		{ "{\"slug\":\"viab\",\"name\":\"Viabilità\",\"keyword\":\" viabilità \"}", true,
		  "viab|Viabilità|VIABILITA" },
		{ "{\"slug\":\"Rifiuti\",\"name\":\"R\",\"keyword\":\"RR\"}", true, "ERR:slug" },
		{ "{\"slug\":\"r\",\"name\":\"R\",\"keyword\":\"R\"}", true, "ERR:keyword" },
		{ "{\"slug\":\"r\",\"name\":\"R\",\"keyword\":\"due parole\"}", true,
		  "ERR:keyword" },
		{ "{\"slug\":\"r\",\"name\":\"\",\"keyword\":\"RR\"}", true, "ERR:name" },
		{ "{\"slug\":\"r\",\"name\":\"a\\nb\",\"keyword\":\"RR\"}", true, "ERR:name" },
		{ "{\"slug\":\"r\",\"keyword\":\"RR\"}", true, "ERR:name" },
		{ "{\"name\":\"R\",\"keyword\":\"RR\"}", true, "ERR:slug" },
		{ "{\"slug\":\"r\",\"name\":\"R\"}", true, "ERR:keyword" },
		{ "{\"name\":\"Nuovo nome\"}", false, "|Nuovo nome|" },
		{ "{\"keyword\":\"nuova\"}", false, "||NUOVA" },
		{ "{\"slug\":\"altro\"}", false, "ERR:slug" },
		{ "{}", false, "ERR:" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = topic_of(cases[i].body, cases[i].create);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", cases[i].body, got, cases[i].want);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patch_table),
		cmocka_unit_test(test_contact_length),
		cmocka_unit_test(test_topic_body),
	};
	return cmocka_run_group_tests_name("comune_patch", tests, NULL, NULL);
}
