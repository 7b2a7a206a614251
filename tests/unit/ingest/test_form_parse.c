/* The web sign-up form's input: urlencoded and JSON bodies, phone
 * numbers in Italian forms, privacy acceptance, topics, sizes (form_parse.c),
 * and the HTML escaping of its pages (form_page.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/form_page.h"
#include "form/form_parse.h"

#define URLENC "application/x-www-form-urlencoded"
#define JSON "application/json; charset=utf-8"

static struct form_comune comune;

static int setup(void **state)
{
	(void)state;
	memset(&comune, 0, sizeof(comune));
	strcpy(comune.id, "demo");
	strcpy(comune.name, "Comune di <Demo>");
	strcpy(comune.privacy_url, "https://example.org/privacy?a=1&b=\"2\"");
	strcpy(comune.privacy_version, "v3");
	comune.wa_channel_id = 7;
	strcpy(comune.topics[0].slug, "viabilita");
	strcpy(comune.topics[0].name, "Viabilità");
	strcpy(comune.topics[1].slug, "meteo");
	strcpy(comune.topics[1].name, "Meteo & allerte");
	comune.ntopics = 2;
	return 0;
}

/* Parses body sent as ct. */
static int parse(const char *ct, const char *body, struct form_request *fr,
                 struct form_error *err)
{
	return form_parse(ct, body, strlen(body), &comune, fr, err);
}

/* Expects a refusal with code on field. */
static void refused(const char *ct, const char *body, int code, const char *field)
{
	struct form_request fr;
	struct form_error err = { 0 };

	if (parse(ct, body, &fr, &err) != -1)
		fail_msg("accepted: %s", body);
	assert_int_equal(err.code, code);
	assert_string_equal(err.field, field);
	assert_non_null(err.message);
}

static void test_urlencoded(void **state)
{
	struct form_request fr;
	struct form_error err;
	(void)state;

	assert_int_equal(parse(URLENC, "phone=333+123+4567&topics=meteo&topics=viabilita&"
	                                "topics=meteo&privacy=on", &fr, &err), 0);
	assert_string_equal(fr.phone, "+393331234567");
	assert_int_equal(fr.ntopics, 2);   /* the duplicate counted once */
	assert_string_equal(fr.topics[0], "meteo");
	assert_string_equal(fr.topics[1], "viabilita");
	assert_ptr_equal(fr.topics[0], comune.topics[1].slug);
	assert_true(fr.privacy);
	assert_false(fr.json);
	/* %2B is '+', other Italian forms; no topics = every topic. */
	assert_int_equal(parse(URLENC, "phone=%2B39%20333%20123%204567&privacy=1", &fr, &err), 0);
	assert_string_equal(fr.phone, "+393331234567");
	assert_int_equal(fr.ntopics, 0);
	assert_int_equal(parse(URLENC, "privacy=1&phone=0039-333-1234567&x=y", &fr, &err), 0);
	assert_string_equal(fr.phone, "+393331234567");
	assert_int_equal(parse("Application/X-WWW-Form-Urlencoded", "phone=3331234567&privacy=si",
	                       &fr, &err), 0);
}

static void test_json(void **state)
{
	struct form_request fr;
	struct form_error err;
	(void)state;

	assert_int_equal(parse(JSON, "{\"phone\":\"+39 333 1234567\",\"topics\":[\"viabilita\"],"
	                             "\"privacy\":true}", &fr, &err), 0);
	assert_string_equal(fr.phone, "+393331234567");
	assert_int_equal(fr.ntopics, 1);
	assert_true(fr.json);
	assert_int_equal(parse(JSON, "{\"phone\":\"3331234567\",\"topics\":null,\"privacy\":true}",
	                       &fr, &err), 0);
	assert_int_equal(fr.ntopics, 0);
}

static void test_refusals(void **state)
{
	(void)state;

	/* Privacy not accepted, in every way it can be missing. */
	refused(URLENC, "phone=3331234567", 400, "privacy");
	refused(URLENC, "phone=3331234567&privacy=0", 400, "privacy");
	refused(JSON, "{\"phone\":\"3331234567\"}", 400, "privacy");
	refused(JSON, "{\"phone\":\"3331234567\",\"privacy\":\"true\"}", 400, "privacy");
	refused(JSON, "{\"phone\":\"3331234567\",\"privacy\":false}", 400, "privacy");
	/* Phone missing or not a number. */
	refused(URLENC, "privacy=1", 400, "phone");
	refused(URLENC, "phone=&privacy=1", 400, "phone");
	refused(URLENC, "phone=ciao&privacy=1", 400, "phone");
	refused(URLENC, "phone=12&privacy=1", 400, "phone");
	refused(URLENC, "phone=3331234567333312345673333123456733331234567&privacy=1", 400,
	        "phone");
	refused(JSON, "{\"phone\":3331234567,\"privacy\":true}", 400, "phone");
	/* Topics the comune does not have, or not a list of strings. */
	refused(URLENC, "phone=3331234567&privacy=1&topics=sport", 400, "topics");
	refused(JSON, "{\"phone\":\"3331234567\",\"privacy\":true,\"topics\":\"meteo\"}", 400,
	        "topics");
	refused(JSON, "{\"phone\":\"3331234567\",\"privacy\":true,\"topics\":[1]}", 400, "topics");
	/* Not a document, not a format we take. */
	refused(JSON, "{\"phone\":", 400, "body");
	refused(JSON, "[1]", 400, "body");
	refused(JSON, "{\"phone\":\"3331234567\",\"phone\":\"3331234568\",\"privacy\":true}", 400,
	        "body");
	refused("text/plain", "phone=3331234567&privacy=1", 415, "body");
	refused(NULL, "phone=3331234567&privacy=1", 415, "body");
	refused("application/jsonx", "{}", 415, "body");
}

static void test_too_large(void **state)
{
	char *big = malloc(FORM_BODY_MAX + 2);
	(void)state;

	memset(big, 'a', FORM_BODY_MAX + 1);
	big[FORM_BODY_MAX + 1] = '\0';
	memcpy(big, "phone=", 6);
	refused(URLENC, big, 413, "body");
	free(big);
}

static void test_too_many_topics(void **state)
{
	char body[2048] = "phone=3331234567&privacy=1";
	(void)state;

	for (int i = 0; i < FORM_TOPICS_MAX + 1; i++)
		strcat(body, "&topics=meteo");
	refused(URLENC, body, 400, "topics");
}

static void test_page_escapes(void **state)
{
	char *page;
	(void)state;

	strcpy(comune.topics[1].slug, "x\"><script>");
	page = form_page_form(&comune, "<b>errore</b>");
	assert_null(strstr(page, "<Demo>"));
	assert_non_null(strstr(page, "Comune di &lt;Demo&gt;"));
	assert_non_null(strstr(page, "href=\"https://example.org/privacy?a=1&amp;b=&quot;2&quot;\""));
	assert_null(strstr(page, "<script>"));
	assert_null(strstr(page, "<b>"));
	assert_non_null(strstr(page, "role=\"alert\""));
	assert_non_null(strstr(page, "name=\"privacy\""));
	assert_non_null(strstr(page, "Meteo &amp; allerte"));
	assert_non_null(strstr(page, "lang=\"it\""));
	free(page);
	/* No topics: no topic fieldset; no privacy URL: no link. */
	comune.ntopics = 0;
	comune.privacy_url[0] = '\0';
	page = form_page_form(&comune, NULL);
	assert_null(strstr(page, "name=\"topics\""));
	assert_null(strstr(page, "<a href"));
	assert_null(strstr(page, "role=\"alert\""));
	free(page);
}

/* Invalid UTF-8 (raw, or percent-encoded in a form) names the field. */
static void test_invalid_utf8(void **state)
{
	struct form_request fr;
	struct form_error err;
	(void)state;

	refused(JSON, "{\"phone\":\"333 123 4567\xFF\",\"privacy\":true}", 400, "phone");
	refused(JSON, "{\"phone\":\"3331234567\",\"topics\":[\"meteo\",\"viabilit\xC3\"],"
	        "\"privacy\":true}", 400, "topics");
	refused(JSON, "{\"phone\":\"3331234567\",\"nota\":\"\xED\xA0\x80\"}", 400, "body");
	refused(URLENC, "phone=3331234567&topics=viabilit%E0&privacy=on", 400, "topics");
	refused(URLENC, "phone=333%C0%AF1234567&privacy=on", 400, "phone");
	refused(URLENC, "phone=3331234567&privacy=on&n\xFFta=1", 400, "body");
	/* Percent-encoded valid UTF-8 is fine. */
	assert_int_equal(parse(URLENC, "phone=3331234567&privacy=s%C3%AC&topics=meteo", &fr, &err),
	                 0);
	assert_true(fr.privacy);
}

/* A NUL byte, trailing or embedded, is refused: never a shorter form. */
static void test_nul_bytes(void **state)
{
	static const char urlenc[] = "phone=3331234567&privacy=1\0";
	static const char json[] = "{\"phone\":\"3331234567\",\"privacy\":true}\0";
	static const char mid[] = "phone=3331234567\0&privacy=1";
	struct form_request fr;
	struct form_error err = { 0 };
	(void)state;

	assert_int_equal(form_parse(URLENC, urlenc, sizeof(urlenc) - 1, &comune, &fr, &err), -1);
	assert_int_equal(err.code, 400);
	assert_int_equal(form_parse(JSON, json, sizeof(json) - 1, &comune, &fr, &err), -1);
	assert_int_equal(err.code, 400);
	assert_int_equal(form_parse(URLENC, mid, sizeof(mid) - 1, &comune, &fr, &err), -1);
	assert_int_equal(err.code, 400);
	/* Without the NUL, the same forms pass. */
	assert_int_equal(form_parse(URLENC, urlenc, sizeof(urlenc) - 2, &comune, &fr, &err), 0);
	assert_int_equal(form_parse(JSON, json, sizeof(json) - 2, &comune, &fr, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_urlencoded, setup),
		cmocka_unit_test_setup(test_json, setup),
		cmocka_unit_test_setup(test_refusals, setup),
		cmocka_unit_test_setup(test_too_large, setup),
		cmocka_unit_test_setup(test_too_many_topics, setup),
		cmocka_unit_test_setup(test_page_escapes, setup),
		cmocka_unit_test_setup(test_invalid_utf8, setup),
		cmocka_unit_test_setup(test_nul_bytes, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
