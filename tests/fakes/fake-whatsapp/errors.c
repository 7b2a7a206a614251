/* Graph API error bodies, shaped and worded like Meta's. */
#include "errors.h"

#include <event2/http.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "crypto.h"
#include "http.h"

/* One row per code: HTTP status, type and message as Meta words them. */
static const struct errors_row {
	int         code;
	int         http;
	const char *type;
	const char *message;
} errors_table[] = {
	{ WAERR_INVALID_PARAM, 400, "OAuthException", "(#100) Invalid parameter" },
	{ WAERR_AUTH, 401, "OAuthException",
	  "Invalid OAuth access token - Cannot parse access token" },
	{ WAERR_UNKNOWN_PATH, 400, "OAuthException", "Unknown path components" },
	{ WAERR_PARAM_MISSING, 400, "OAuthException", "(#131008) Required parameter is missing" },
	{ WAERR_PARAM_INVALID, 400, "OAuthException", "(#131009) Parameter value is not valid" },
	{ WAERR_REENGAGEMENT, 400, "OAuthException", "(#131047) Re-engagement message" },
	{ WAERR_TEMPLATE_PARAMS, 400, "OAuthException",
	  "(#132000) Number of parameters does not match the expected number of params" },
	{ WAERR_TEMPLATE_MISSING, 400, "OAuthException",
	  "(#132001) Template name does not exist in the translation" },
	/* Codes the fake only answers when a test injects them (POST /_fake/faults). */
	{ 4, 400, "OAuthException", "(#4) Application request limit reached" },
	{ 368, 403, "OAuthException", "(#368) Temporarily blocked for policies violations" },
	{ 80007, 400, "OAuthException", "(#80007) Rate limit issues" },
	{ 130429, 400, "OAuthException", "(#130429) Rate limit hit" },
	{ 131000, 500, "OAuthException", "(#131000) Something went wrong" },
	{ 131026, 400, "OAuthException", "(#131026) Message Undeliverable" },
	{ 131031, 400, "OAuthException", "(#131031) Business Account locked" },
	{ 131042, 400, "OAuthException", "(#131042) Business eligibility payment issue" },
	{ 131048, 400, "OAuthException", "(#131048) Spam rate limit hit" },
	{ 131049, 400, "OAuthException", "(#131049) This message was not delivered to maintain "
	  "healthy ecosystem engagement" },
	{ 131050, 400, "OAuthException", "(#131050) User stopped marketing messages" },
	{ 131051, 400, "OAuthException", "(#131051) Unsupported message type" },
	{ 131056, 400, "OAuthException",
	  "(#131056) (Business Account, Consumer Account) pair rate limit hit" },
	{ 131057, 400, "OAuthException", "(#131057) Account in maintenance mode" },
};

/* The table row of code, or the generic "invalid parameter" row (whose code is then
 * not the one sent: errors_known() tells). */
static const struct errors_row *errors_find(int code)
{
	for (size_t i = 0; i < sizeof(errors_table) / sizeof(errors_table[0]); i++)
		if (errors_table[i].code == code)
			return &errors_table[i];
	return &errors_table[0];
}

bool errors_known(int code)
{
	return errors_find(code)->code == code;
}

int errors_http_status(int code)
{
	return errors_find(code)->http;
}

json_t *errors_body(int code, const char *details)
{
	const struct errors_row *row = errors_find(code);
	char trace[24], generic[64];
	const char *message = row->message;
	json_t *err;

	if (row->code != code) {
		snprintf(generic, sizeof(generic), "(#%d) Injected fault", code);
		message = generic;
	}
	trace[0] = 'A';
	random_hex(trace + 1, 10);
	err = json_pack("{s:s, s:s, s:i}", "message", message, "type", row->type, "code", code);
	if (details != NULL)
		json_object_set_new(err, "error_data",
		                    json_pack("{s:s, s:s}", "messaging_product", "whatsapp",
		                              "details", details));
	json_object_set_new(err, "fbtrace_id", json_string(trace));
	return json_pack("{s:o}", "error", err);
}

void errors_add_headers(struct evhttp_request *req, int code)
{
	if (code == WAERR_AUTH)
		evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
		                  "OAuth \"Facebook Platform\" \"invalid_token\" "
		                  "\"Invalid OAuth access token - Cannot parse access token\"");
}

void errors_reply(struct evhttp_request *req, int code, const char *details)
{
	errors_add_headers(req, code);
	http_reply_json(req, errors_http_status(code), errors_body(code, details));
}
