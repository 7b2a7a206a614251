/*
 * Graph API error bodies as Meta sends them:
 * {"error":{"message","type","code","error_data":{"messaging_product","details"},"fbtrace_id"}}
 */
#ifndef FAKE_WA_ERRORS_H
#define FAKE_WA_ERRORS_H

#include <jansson.h>
#include <stdbool.h>

struct evhttp_request;

/* The Meta error codes the fake answers with. */
#define WAERR_INVALID_PARAM     100
#define WAERR_AUTH              190
#define WAERR_UNKNOWN_PATH      2500
#define WAERR_PARAM_MISSING     131008
#define WAERR_PARAM_INVALID     131009
#define WAERR_REENGAGEMENT      131047
#define WAERR_TEMPLATE_PARAMS   132000
#define WAERR_TEMPLATE_MISSING  132001
#define WAERR_THROUGHPUT        130429
#define WAERR_PAIR_RATE         131056
#define WAERR_SERVER            131000

/* true if the fake knows how Meta words code (any code may be injected). */
bool errors_known(int code);
/* HTTP status Meta uses for a code (401 for 190, else 400). */
int errors_http_status(int code);
/* The error object for code; details may be NULL. Caller owns the reference. */
json_t *errors_body(int code, const char *details);
/* Adds the headers Meta sends with an error (WWW-Authenticate for 190). */
void errors_add_headers(struct evhttp_request *req, int code);
/* Answers req with the error now (adds WWW-Authenticate for 190). */
void errors_reply(struct evhttp_request *req, int code, const char *details);

#endif
