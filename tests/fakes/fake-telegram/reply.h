/*
 * Bot API answers: {"ok":true,"result":...} and
 * {"ok":false,"error_code":N,"description":"...","parameters":{...}},
 * sent now or after FAKE_TG_LATENCY_MS (a timer, never a sleep).
 */
#ifndef FAKE_TG_REPLY_H
#define FAKE_TG_REPLY_H

#include <jansson.h>

struct evhttp_request;
struct fake;

/* Answers 200 {"ok":true,"result":result}; steals result. */
void reply_ok(struct fake *fk, struct evhttp_request *req, json_t *result);
/* The same with a "description" (setWebhook: "Webhook was set"); steals result. */
void reply_ok_described(struct fake *fk, struct evhttp_request *req, json_t *result,
                        const char *description);
/*
 * Answers an error with HTTP status code. retry_after > 0 and
 * migrate_to != 0 add the matching "parameters".
 */
void reply_error(struct fake *fk, struct evhttp_request *req, int code,
                 const char *description, long retry_after, long long migrate_to);

#endif
