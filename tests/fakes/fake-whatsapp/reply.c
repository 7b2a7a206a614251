/* A held request; see reply.h. */
#include "reply.h"

#include <jansson.h>

#include "fk_reply.h"

void reply_never(struct event_base *base, struct evhttp_request *req)
{
	fk_reply_json(base, req, 504, json_pack("{s:{s:s, s:i}}", "error", "message",
	                                        "held by the fake (timeout fault)", "code", 131000),
	              REPLY_HOLD_MS);
}
