/* The route table (routes.c) as the router matches it (router.c): which
 * handler a method and path reach, with what, and what is a 404 or a 405. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <event2/http.h>
#include <string.h>

#include "workflow.h"
#include "api/editor_actions.h"
#include "api/editor_alert.h"
#include "api/editor_api.h"
#include "api/editor_read.h"
#include "api/comune_api.h"
#include "api/comuni_read.h"
#include "api/topics_api.h"
#include "archive/archive.h"
#include "console/console_static.h"
#include "core/router.h"
#include "core/routes.h"
#include "form/form_handler.h"
#include "webhooks/tg_handler.h"
#include "webhooks/wa_handler.h"

#define ID "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
#define ID_UPPER "1B4E28BA-2FA1-11D2-883F-0016D3CCA427"

/* Fails naming the path when cond does not hold. */
#define CHECK(cond, path)                                        \
	do {                                                     \
		if (!(cond))                                     \
			fail_msg("%s: %s", (path), #cond);       \
	} while (0)

enum { GET = EVHTTP_REQ_GET, POST = EVHTTP_REQ_POST, PUT = EVHTTP_REQ_PUT,
       PATCH = EVHTTP_REQ_PATCH, DELETE = EVHTTP_REQ_DELETE, HEAD = EVHTTP_REQ_HEAD };

/* A request that reaches a handler. */
static const struct {
	unsigned method;
	const char *path;
	route_fn handler;
	enum route_auth auth;
	int arg;
	const char *comune, *id, *rest;   /* NULL: not set */
} found[] = {
	{ GET, "/webhooks/whatsapp", wa_handle_verify, ROUTE_PROVIDER, 0, NULL, NULL, NULL },
	{ POST, "/webhooks/whatsapp", wa_handle_post, ROUTE_PROVIDER, 0, NULL, NULL, NULL },
	{ POST, "/webhooks/telegram/123456", tg_handle_post, ROUTE_PROVIDER, 0, NULL, NULL, "123456" },
	{ POST, "/webhooks/telegram/", tg_handle_post, ROUTE_PROVIDER, 0, NULL, NULL, "" },
	{ POST, "/webhooks/telegram/1/2", tg_handle_post, ROUTE_PROVIDER, 0, NULL, NULL, "1/2" },
	{ GET, "/api/v1/notices", editor_handle_read, ROUTE_API_KEY, ER_LIST, NULL, NULL, NULL },
	{ POST, "/api/v1/notices", editor_handle_create, ROUTE_API_KEY, 0, NULL, NULL, NULL },
	{ GET, "/api/v1/notices/" ID_UPPER, editor_handle_read, ROUTE_API_KEY, ER_READ, NULL, ID,
	  NULL },
	{ PUT, "/api/v1/notices/" ID, editor_handle_action, ROUTE_API_KEY, WF_EDIT, NULL, ID, NULL },
	{ PATCH, "/api/v1/notices/" ID, editor_handle_patch, ROUTE_API_KEY, WF_EDIT, NULL, ID, NULL },
	{ GET, "/api/v1/notices/" ID "/preview", editor_handle_read, ROUTE_API_KEY, ER_PREVIEW,
	  NULL, ID, NULL },
	{ GET, "/api/v1/notices/" ID "/stats", editor_handle_read, ROUTE_API_KEY, ER_STATS, NULL,
	  ID, NULL },
	{ GET, "/api/v1/notices/" ID "/timeline", editor_handle_read, ROUTE_API_KEY, ER_TIMELINE,
	  NULL, ID, NULL },
	{ POST, "/api/v1/notices/" ID "/submit", editor_handle_action, ROUTE_API_KEY, WF_SUBMIT,
	  NULL, ID, NULL },
	{ POST, "/api/v1/notices/" ID "/approve", editor_handle_action, ROUTE_API_KEY, WF_APPROVE,
	  NULL, ID, NULL },
	{ POST, "/api/v1/notices/" ID "/reject", editor_handle_action, ROUTE_API_KEY, WF_REJECT,
	  NULL, ID, NULL },
	{ POST, "/api/v1/notices/" ID "/schedule", editor_handle_action, ROUTE_API_KEY,
	  WF_SCHEDULE, NULL, ID, NULL },
	{ POST, "/api/v1/notices/" ID "/cancel", editor_handle_action, ROUTE_API_KEY, WF_CANCEL,
	  NULL, ID, NULL },
	{ POST, "/api/v1/notices/" ID "/pause", editor_handle_action, ROUTE_API_KEY, WF_PAUSE,
	  NULL, ID, NULL },
	{ POST, "/api/v1/notices/" ID "/resume", editor_handle_action, ROUTE_API_KEY, WF_RESUME,
	  NULL, ID, NULL },
	/* Not a notice endpoint: the handler answers 400 (no UUID) or 404,
	 * before any key is asked for, whatever the method. */
	{ POST, "/api/v1/notices/not-a-uuid/approve", editor_handle_unknown, ROUTE_PUBLIC, 0, NULL,
	  NULL, "not-a-uuid/approve" },
	{ DELETE, "/api/v1/notices/nope", editor_handle_unknown, ROUTE_PUBLIC, 0, NULL, NULL,
	  "nope" },
	{ POST, "/api/v1/notices/" ID "/frobnicate", editor_handle_unknown, ROUTE_PUBLIC, 0, NULL,
	  NULL, ID "/frobnicate" },
	{ GET, "/api/v1/notices/" ID "/", editor_handle_unknown, ROUTE_PUBLIC, 0, NULL, NULL, ID "/" },
	{ GET, "/api/v1/notices/", editor_handle_unknown, ROUTE_PUBLIC, 0, NULL, NULL, "" },
	{ POST, "/api/v1/alerts", editor_handle_alert, ROUTE_API_KEY, 0, NULL, NULL, NULL },
	{ GET, "/api/v1/comune", comune_handle, ROUTE_API_KEY, 0, NULL, NULL, NULL },
	{ GET, "/api/v1/comuni", comuni_handle, ROUTE_API_KEY, 0, NULL, NULL, NULL },
	{ PATCH, "/api/v1/comune", comune_handle, ROUTE_API_KEY, 0, NULL, NULL, NULL },
	{ GET, "/api/v1/topics", topics_handle, ROUTE_API_KEY, 0, NULL, NULL, NULL },
	{ POST, "/api/v1/topics", topics_handle, ROUTE_API_KEY, 0, NULL, NULL, NULL },
	{ PATCH, "/api/v1/topics/rifiuti", topics_handle_one, ROUTE_API_KEY, 0, NULL, NULL, "rifiuti" },
	{ DELETE, "/api/v1/topics/rifiuti", topics_handle_one, ROUTE_API_KEY, 0, NULL, NULL,
	  "rifiuti" },
	{ GET, "/c/demo/avvisi", archive_handle, ROUTE_PUBLIC, ARCHIVE_LIST, "demo", NULL, NULL },
	{ GET, "/c/demo/avvisi/", archive_handle, ROUTE_PUBLIC, ARCHIVE_LIST, "demo", NULL, NULL },
	{ GET, "/c/demo-2/avvisi.atom", archive_handle, ROUTE_PUBLIC, ARCHIVE_FEED, "demo-2", NULL,
	  NULL },
	{ GET, "/c/demo/avvisi/" ID_UPPER, archive_handle, ROUTE_PUBLIC, ARCHIVE_NOTICE, "demo", ID,
	  NULL },
	{ GET, "/c/demo/iscrizione", form_handle, ROUTE_PUBLIC, 0, "demo", NULL, NULL },
	{ POST, "/c/demo/iscrizione", form_handle, ROUTE_PUBLIC, 0, "demo", NULL, NULL },
	{ GET, "/console", console_handle_root, ROUTE_PUBLIC, 0, NULL, NULL, NULL },
	{ HEAD, "/console/", console_handle, ROUTE_PUBLIC, 0, NULL, NULL, "" },
	{ GET, "/console/js/app.js", console_handle, ROUTE_PUBLIC, 0, NULL, NULL, "js/app.js" },
};

/* A request that reaches no handler: 404 (allow "") or 405 naming allow. */
static const struct {
	unsigned method;
	const char *path;
	const char *allow;
	bool page;
} refused[] = {
	{ DELETE, "/webhooks/whatsapp", "GET, POST", false },
	{ GET, "/webhooks/telegram/1", "POST", false },
	{ POST, "/webhooks/telegram", "", false },
	{ DELETE, "/api/v1/notices", "GET, POST", false },
	{ HEAD, "/api/v1/notices/" ID, "GET, PUT, PATCH", false },
	{ GET, "/api/v1/notices/" ID "/approve", "POST", false },
	{ POST, "/api/v1/notices/" ID "/preview", "GET", false },
	{ GET, "/api/v1/alerts", "POST", false },
	{ POST, "/api/v1/alerts/", "", false },
	{ POST, "/c/demo/avvisi", "GET, HEAD", true },
	{ PUT, "/c/demo/avvisi/" ID, "GET, HEAD", true },
	{ DELETE, "/api/v1/comune", "GET, PATCH", false },
	{ GET, "/api/v1/topics/rifiuti", "PATCH, DELETE", false },
	{ PUT, "/c/demo/iscrizione", "GET, POST", false },
	{ POST, "/console/", "GET, HEAD", true },
	{ GET, "/consoles", "", false },
	/* A comune id is lowercase letters, digits and '-', 1 to 63 of them. */
	{ GET, "/c/Demo/avvisi", "", false },
	{ GET, "/c//avvisi", "", false },
	{ GET, "/c/demo%2f/iscrizione", "", false },
	{ GET, "/c/0123456789012345678901234567890123456789012345678901234567890123/avvisi", "",
	  false },
	{ GET, "/c/demo/avvisi/not-a-uuid", "", false },
	{ GET, "/c/demo/avvisi/" ID "/", "", false },
	{ GET, "/c/demo/altro", "", false },
	{ GET, "/healthz", "", false },   /* answered before the table */
	{ GET, "/", "", false },
	{ GET, "", "", false },
};

static void test_found(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(found) / sizeof(found[0]); i++) {
		const char *path = found[i].path;
		struct route_hit hit;

		router_match(routes, routes_count, found[i].method, path, &hit);
		CHECK(hit.route != NULL, path);
		CHECK(hit.route->handler == found[i].handler, path);
		CHECK(hit.route->auth == found[i].auth, path);
		CHECK(hit.args.arg == found[i].arg, path);
		CHECK(strcmp(hit.args.comune, found[i].comune ? found[i].comune : "") == 0, path);
		CHECK(strcmp(hit.args.id, found[i].id ? found[i].id : "") == 0, path);
		if (found[i].rest != NULL)
			CHECK(hit.args.rest != NULL && strcmp(hit.args.rest, found[i].rest) == 0, path);
		else
			CHECK(hit.args.rest == NULL, path);
		CHECK(hit.args.key == NULL, path);
	}
}

static void test_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const char *path = refused[i].path;
		struct route_hit hit;
		char allow[64];

		router_match(routes, routes_count, refused[i].method, path, &hit);
		CHECK(hit.route == NULL, path);
		router_allow(hit.allowed, allow, sizeof(allow));
		CHECK(strcmp(allow, refused[i].allow) == 0, path);
		CHECK(hit.page == refused[i].page, path);
	}
}

/* 63 characters are a comune id still. */
static void test_longest_comune(void **state)
{
	const char *path = "/c/012345678901234567890123456789012345678901234567890123456789012/avvisi";
	struct route_hit hit;
	(void)state;

	router_match(routes, routes_count, GET, path, &hit);
	assert_non_null(hit.route);
	assert_int_equal(strlen(hit.args.comune), 63);
}

static void test_allow_order(void **state)
{
	char allow[64];
	(void)state;

	router_allow(EVHTTP_REQ_PATCH | EVHTTP_REQ_GET | EVHTTP_REQ_PUT, allow, sizeof(allow));
	assert_string_equal(allow, "GET, PUT, PATCH");
	router_allow(0, allow, sizeof(allow));
	assert_string_equal(allow, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_longest_comune),
		cmocka_unit_test(test_allow_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
