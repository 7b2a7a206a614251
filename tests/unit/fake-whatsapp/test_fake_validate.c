/* The fake's send validation: templates, text length, the 24-hour window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "../../../tests/fakes/fake-whatsapp/api.h"
#include "../../../tests/fakes/fake-whatsapp/errors.h"
#include "../../../tests/fakes/fake-whatsapp/store.h"

#define PNID "100000000000001"
#define TO   "393331234567"
#define T0   1700000000000LL   /* some wall-clock ms */
#define HOUR (3600LL * 1000)

struct fixture {
	struct api_templates *tp;
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char err[128];

	fx->tp = api_templates_parse("avviso_comune:it:2, benvenuto:it:0,avviso_comune:en:1",
	                             err, sizeof(err));
	assert_non_null(fx->tp);
	fx->st = store_new();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	api_templates_free(fx->tp);
	store_free(fx->st);
	free(fx);
	return 0;
}

/* Validates a JSON text at now; returns the Meta code (0 = accepted). */
static int check(struct fixture *fx, const char *pnid, const char *json, int64_t now)
{
	char details[512];
	json_t *msg = json_loads(json, 0, NULL);
	int code;

	assert_non_null(msg);
	code = api_validate(fx->tp, fx->st, pnid, msg, now, details, sizeof(details));
	if (code != 0)
		assert_true(details[0] != '\0');   /* every refusal explains itself */
	json_decref(msg);
	return code;
}

/* A template request with n body parameters. */
static char *template_json(const char *name, const char *lang, int n)
{
	json_t *params = json_array(), *msg;
	char *out;

	for (int i = 0; i < n; i++)
		json_array_append_new(params, json_pack("{s:s, s:s}", "type", "text", "text", "p"));
	msg = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:{s:s}, s:[{s:s, s:o}]}}",
	                "messaging_product", "whatsapp", "recipient_type", "individual",
	                "to", TO, "type", "template",
	                "template", "name", name, "language", "code", lang,
	                "components", "type", "body", "parameters", params);
	out = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	return out;
}

/* A text request whose body is `n` copies of `unit`. */
static char *text_json(const char *unit, size_t n)
{
	size_t ulen = strlen(unit);
	char *body = malloc(ulen * n + 1), *out;
	json_t *msg;

	for (size_t i = 0; i < n; i++)
		memcpy(body + i * ulen, unit, ulen);
	body[ulen * n] = '\0';
	msg = json_pack("{s:s, s:s, s:s, s:s, s:{s:b, s:s}}", "messaging_product", "whatsapp",
	                "recipient_type", "individual", "to", TO, "type", "text",
	                "text", "preview_url", 0, "body", body);
	out = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	free(body);
	return out;
}

static void test_template_params(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *name, *lang;
		int n, want;
	} cases[] = {
		{ "avviso_comune", "it", 2, 0 },
		{ "avviso_comune", "it", 1, WAERR_TEMPLATE_PARAMS },
		{ "avviso_comune", "it", 3, WAERR_TEMPLATE_PARAMS },
		{ "avviso_comune", "it", 0, WAERR_TEMPLATE_PARAMS },
		{ "avviso_comune", "en", 1, 0 },
		{ "avviso_comune", "en", 2, WAERR_TEMPLATE_PARAMS },
		{ "avviso_comune", "fr", 2, WAERR_TEMPLATE_MISSING },
		{ "avviso", "it", 2, WAERR_TEMPLATE_MISSING },
		{ "benvenuto", "it", 0, 0 },
		{ "benvenuto", "it", 1, WAERR_TEMPLATE_PARAMS },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *json = template_json(cases[i].name, cases[i].lang, cases[i].n);
		int got = check(fx, PNID, json, T0);   /* no window needed for templates */
		if (got != cases[i].want)
			fail_msg("%s/%s with %d params: got %d, want %d", cases[i].name, cases[i].lang,
			         cases[i].n, got, cases[i].want);
		free(json);
	}
	/* No components at all = zero parameters. */
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"type\":\"template\",\"template\":{\"name\":\"benvenuto\","
	                       "\"language\":{\"code\":\"it\"}}}", T0), 0);
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"type\":\"template\",\"template\":{\"name\":\"avviso_comune\","
	                       "\"language\":{\"code\":\"it\"}}}", T0), WAERR_TEMPLATE_PARAMS);
	/* Header parameters the template does not have. */
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"type\":\"template\",\"template\":{\"name\":\"benvenuto\","
	                       "\"language\":{\"code\":\"it\"},\"components\":[{\"type\":\"header\","
	                       "\"parameters\":[{\"type\":\"text\",\"text\":\"x\"}]}]}}", T0),
	                 WAERR_TEMPLATE_PARAMS);
	/* An empty text parameter, a missing name or language. */
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"type\":\"template\",\"template\":{\"name\":\"avviso_comune\","
	                       "\"language\":{\"code\":\"it\"},\"components\":[{\"type\":\"body\","
	                       "\"parameters\":[{\"type\":\"text\",\"text\":\"\"},"
	                       "{\"type\":\"text\",\"text\":\"b\"}]}]}}", T0), WAERR_PARAM_MISSING);
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"type\":\"template\",\"template\":{\"language\":{\"code\":\"it\"}}}",
	                       T0), WAERR_PARAM_MISSING);
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"type\":\"template\",\"template\":{\"name\":\"benvenuto\"}}", T0),
	                 WAERR_PARAM_MISSING);
}

static void test_text_length(void **state)
{
	struct fixture *fx = *state;
	char *json;

	store_window_touch(fx->st, PNID, TO, T0);
	json = text_json("a", 4096);
	assert_int_equal(check(fx, PNID, json, T0 + 1), 0);
	free(json);
	json = text_json("a", 4097);
	assert_int_equal(check(fx, PNID, json, T0 + 1), WAERR_INVALID_PARAM);
	free(json);
	/* Characters, not bytes: 4096 two-byte and four-byte characters are fine. */
	json = text_json("\xc3\xa8", 4096);
	assert_int_equal(check(fx, PNID, json, T0 + 1), 0);
	free(json);
	json = text_json("\xf0\x9f\x98\x80", 4096);
	assert_int_equal(check(fx, PNID, json, T0 + 1), 0);
	free(json);
	json = text_json("\xc3\xa8", 4097);
	assert_int_equal(check(fx, PNID, json, T0 + 1), WAERR_INVALID_PARAM);
	free(json);
	json = text_json("a", 0);
	assert_int_equal(check(fx, PNID, json, T0 + 1), WAERR_INVALID_PARAM);
	free(json);
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"type\":\"text\"}", T0 + 1), WAERR_PARAM_MISSING);
}

static void test_window(void **state)
{
	struct fixture *fx = *state;
	char *json = text_json("ciao", 1);

	/* Never wrote to us: free text is refused, a template is not. */
	assert_int_equal(check(fx, PNID, json, T0), WAERR_REENGAGEMENT);
	store_window_touch(fx->st, PNID, TO, T0);
	assert_int_equal(check(fx, PNID, json, T0), 0);
	assert_int_equal(check(fx, PNID, json, T0 + 23 * HOUR), 0);
	assert_int_equal(check(fx, PNID, json, T0 + 24 * HOUR - 1), 0);
	assert_int_equal(check(fx, PNID, json, T0 + 24 * HOUR), WAERR_REENGAGEMENT);
	/* The window is per business number. */
	assert_int_equal(check(fx, "100000000000002", json, T0 + 1), WAERR_REENGAGEMENT);
	/* A new message renews it; an older one does not shorten it. */
	store_window_touch(fx->st, PNID, TO, T0 + 20 * HOUR);
	store_window_touch(fx->st, PNID, TO, T0 + 1 * HOUR);
	assert_int_equal(check(fx, PNID, json, T0 + 43 * HOUR), 0);
	assert_int_equal(check(fx, PNID, json, T0 + 44 * HOUR), WAERR_REENGAGEMENT);
	store_windows_clear(fx->st);
	assert_int_equal(check(fx, PNID, json, T0 + 21 * HOUR), WAERR_REENGAGEMENT);
	free(json);
	/* A template goes out without a window. */
	json = template_json("avviso_comune", "it", 2);
	assert_int_equal(check(fx, PNID, json, T0 + 100 * HOUR), 0);
	free(json);
}

static void test_envelope(void **state)
{
	struct fixture *fx = *state;

	store_window_touch(fx->st, PNID, TO, T0);
	/* "to" is digits only. */
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"+" TO "\","
	                       "\"type\":\"text\",\"text\":{\"body\":\"x\"}}", T0), WAERR_INVALID_PARAM);
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\","
	                       "\"type\":\"text\",\"text\":{\"body\":\"x\"}}", T0), WAERR_INVALID_PARAM);
	assert_int_equal(check(fx, PNID, "{\"to\":\"" TO "\",\"type\":\"text\","
	                       "\"text\":{\"body\":\"x\"}}", T0), WAERR_INVALID_PARAM);
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"sms\",\"to\":\"" TO "\","
	                       "\"type\":\"text\",\"text\":{\"body\":\"x\"}}", T0), WAERR_INVALID_PARAM);
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"type\":\"image\",\"image\":{\"id\":\"1\"}}", T0), WAERR_INVALID_PARAM);
	assert_int_equal(check(fx, PNID, "[1,2]", T0), WAERR_INVALID_PARAM);
	/* type defaults to text. */
	assert_int_equal(check(fx, PNID, "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\","
	                       "\"text\":{\"body\":\"x\"},\"biz_opaque_callback_data\":\"job\"}", T0), 0);
}

static void test_templates_parse(void **state)
{
	static const char *const bad[] = { "x:it", "x:it:", ":it:1", "x::1", "x:it:-1", "x:it:2z" };
	struct api_templates *tp;
	char err[128];
	(void)state;

	tp = api_templates_parse("", err, sizeof(err));
	assert_non_null(tp);
	assert_int_equal(tp->n, 0);
	api_templates_free(tp);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tp = api_templates_parse(bad[i], err, sizeof(err));
		if (tp != NULL)
			fail_msg("\"%s\" accepted", bad[i]);
	}
}

static void test_paths(void **state)
{
	char pnid[API_PNID_MAX];
	(void)state;

	assert_true(api_match_path("/v21.0/100000000000001/messages", pnid));
	assert_string_equal(pnid, "100000000000001");
	assert_true(api_match_path("/v9.1/1/messages", pnid));
	assert_false(api_match_path("/v21/1/messages", pnid));
	assert_false(api_match_path("/21.0/1/messages", pnid));
	assert_false(api_match_path("/v21.0//messages", pnid));
	assert_false(api_match_path("/v21.0/abc/messages", pnid));
	assert_false(api_match_path("/v21.0/1/messages/x", pnid));
	assert_false(api_match_path("/v21.0/1/media", pnid));
}

/* The codes of docs/providers.md ("WhatsApp: errors") are worded like Meta, with Meta's status. */
static void test_error_codes(void **state)
{
	(void)state;
	assert_true(errors_known(131000) && errors_http_status(131000) == 500);
	assert_true(errors_known(368) && errors_http_status(368) == 403);
	assert_true(errors_known(190) && errors_http_status(190) == 401);
	assert_true(errors_known(130429) && errors_http_status(130429) == 400);
	assert_true(errors_known(131056) && errors_http_status(131056) == 400);
	assert_true(errors_known(131057) && errors_known(131026) && errors_known(131050));
	assert_false(errors_known(424242));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_template_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_envelope, setup, teardown),
		cmocka_unit_test(test_templates_parse),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_error_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
