/*
 * The routes of ingest's public listener: method, path pattern (route.h),
 * handler, who may call it, the handler's argument, and whether it is a
 * public page. The router tries them in this order; the first pattern
 * that fits the path decides.
 */
#include "core/routes.h"

#include <event2/http.h>

#include "workflow.h"
#include "api/editor_actions.h"
#include "api/editor_alert.h"
#include "api/editor_api.h"
#include "api/editor_read.h"
#include "api/audience_read.h"
#include "api/comuni_read.h"
#include "api/comune_api.h"
#include "api/topics_api.h"
#include "api/optin.h"
#include "api/subscriber_stats.h"
#include "api/test_send.h"
#include "archive/archive.h"
#include "console/console.h"
#include "console/console_static.h"
#include "form/form_handler.h"
#include "webhooks/tg_handler.h"
#include "webhooks/wa_handler.h"

#define GET EVHTTP_REQ_GET
#define POST EVHTTP_REQ_POST
#define PUT EVHTTP_REQ_PUT
#define PATCH EVHTTP_REQ_PATCH
#define DELETE EVHTTP_REQ_DELETE
#define GET_HEAD (EVHTTP_REQ_GET | EVHTTP_REQ_HEAD)
#define ANY ROUTE_ANY
#define PUBLIC ROUTE_PUBLIC
#define PROVIDER ROUTE_PROVIDER
#define API_KEY ROUTE_API_KEY
#define SESSION ROUTE_SESSION
#define NOTICE "/api/v1/notices/{id}"

const struct route routes[] = {
	/* method pattern                       handler               auth      arg          page */

	/* Providers' webhooks (webhooks/). */
	{ GET,   "/webhooks/whatsapp",         wa_handle_verify,     PROVIDER, 0,              false },
	{ POST,  "/webhooks/whatsapp",         wa_handle_post,       PROVIDER, 0,              false },
	{ POST,  "/webhooks/telegram/*",       tg_handle_post,       PROVIDER, 0,              false },

	/* The editors' API (api/, docs/api.md). */
	{ GET,   "/api/v1/notices",            editor_handle_read,   API_KEY,  ER_LIST,        false },
	{ POST,  "/api/v1/notices",            editor_handle_create, API_KEY,  0,              false },
	{ GET,   NOTICE,                       editor_handle_read,   API_KEY,  ER_READ,        false },
	{ PUT,   NOTICE,                       editor_handle_action, API_KEY,  WF_EDIT,        false },
	{ PATCH, NOTICE,                       editor_handle_patch,  API_KEY,  WF_EDIT,        false },
	{ GET,   NOTICE "/preview",            editor_handle_read,   API_KEY,  ER_PREVIEW,     false },
	{ GET,   NOTICE "/stats",              editor_handle_read,   API_KEY,  ER_STATS,       false },
	{ GET,   NOTICE "/timeline",           editor_handle_read,   API_KEY,  ER_TIMELINE,    false },
	{ GET,   NOTICE "/versions",           editor_handle_read,   API_KEY,  ER_VERSIONS,    false },
	{ POST,  NOTICE "/submit",             editor_handle_action, API_KEY,  WF_SUBMIT,      false },
	{ POST,  NOTICE "/approve",            editor_handle_action, API_KEY,  WF_APPROVE,     false },
	{ POST,  NOTICE "/reject",             editor_handle_action, API_KEY,  WF_REJECT,      false },
	{ POST,  NOTICE "/schedule",           editor_handle_action, API_KEY,  WF_SCHEDULE,    false },
	{ POST,  NOTICE "/cancel",             editor_handle_action, API_KEY,  WF_CANCEL,      false },
	{ POST,  NOTICE "/pause",              editor_handle_action, API_KEY,  WF_PAUSE,       false },
	{ POST,  NOTICE "/resume",             editor_handle_action, API_KEY,  WF_RESUME,      false },
	{ POST,  NOTICE "/test-send",          test_send_handle,     API_KEY,  0,              false },
	/* Any other path under a notice: 400 if the id is no UUID, else 404. */
	{ ANY,   "/api/v1/notices/*",          editor_handle_unknown, PUBLIC,  0,              false },
	{ POST,  "/api/v1/alerts",             editor_handle_alert,  API_KEY,  0,              false },
	{ GET,   "/api/v1/staff",              staff_handle,         API_KEY,  0,              false },
	{ POST,  "/api/v1/staff",              staff_handle,         API_KEY,  0,              false },
	{ POST,  "/api/v1/staff/*",            staff_handle_sub,     API_KEY,  0,              false },

	/* The editors' console's API (console/): login, the session's person, logout. */
	{ POST,  "/console/api/login",         console_handle_login, PUBLIC,   0,              false },
	{ GET,   "/console/api/me",            console_handle_me,    SESSION,  0,              false },
	{ POST,  "/console/api/logout",        console_handle_logout, SESSION, 0,              false },
	/* What the editors' console shows (api/console_read.h). */
	{ GET,   "/api/v1/comuni",             comuni_handle,        API_KEY,  0,              false },
	{ GET,   "/api/v1/audience",           audience_handle,      API_KEY,  0,              false },
	{ GET,   "/api/v1/subscribers/stats",  substats_handle,      API_KEY,  0,              false },
	{ GET,   "/api/v1/optin/links",        optin_handle_links,   API_KEY,  0,              false },
	{ GET,   "/api/v1/optin/qr",           optin_handle_qr,      API_KEY,  0,              false },
	/* The comune's settings and topics (api/comune_api.h, api/topics_api.h). */
	{ GET,   "/api/v1/comune",             comune_handle,        API_KEY,  0,              false },
	{ PATCH, "/api/v1/comune",             comune_handle,        API_KEY,  0,              false },
	{ GET,   "/api/v1/topics",             topics_handle,        API_KEY,  0,              false },
	{ POST,  "/api/v1/topics",             topics_handle,        API_KEY,  0,              false },
	{ PATCH, "/api/v1/topics/*",           topics_handle_one,    API_KEY,  0,              false },
	{ DELETE, "/api/v1/topics/*",          topics_handle_one,    API_KEY,  0,              false },

	/* The public archive (archive/). */
	{ GET_HEAD, "/c/{comune}/avvisi",      archive_handle,       PUBLIC,   ARCHIVE_LIST,   true },
	{ GET_HEAD, "/c/{comune}/avvisi/",     archive_handle,       PUBLIC,   ARCHIVE_LIST,   true },
	{ GET_HEAD, "/c/{comune}/avvisi.atom", archive_handle,       PUBLIC,   ARCHIVE_FEED,   true },
	{ GET_HEAD, "/c/{comune}/avvisi/{id}", archive_handle,       PUBLIC,   ARCHIVE_NOTICE, true },

	/* The editors' console: static files (console/, docs/console-ui.md). */
	{ GET_HEAD, "/console",               console_handle_root,  PUBLIC,   0,              true },
	{ GET_HEAD, "/console/*",             console_handle,       PUBLIC,   0,              true },

	/* The sign-up form (form/). */
	{ GET,   "/c/{comune}/iscrizione",     form_handle,          PUBLIC,   0,              false },
	{ POST,  "/c/{comune}/iscrizione",     form_handle,          PUBLIC,   0,              false },
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);

void routes_metrics_register(void)
{
	wa_metrics_register();
	tg_metrics_register();
	archive_metrics_register();
	form_metrics_register();
	console_metrics_register();
}
