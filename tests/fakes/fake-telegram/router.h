/*
 * Request routing of the fake: the Bot API path, the test-control
 * endpoints under /_fake/ and /healthz.
 *   GET    /_fake/messages[?chat_id=C]  {"messages":[...accepted...]}
 *   DELETE /_fake/messages              forget recorded messages
 *   GET    /_fake/stats                 {"accepted":N,"rejected":N,"throttled":N,"updates":N}
 *   GET    /_fake/config                the flood limits (throttle.h)
 *   POST   /_fake/config                {"rate":30,"chat_rate":1,"chat_burst":3}: change them
 *   POST   /_fake/update                deliver an Update to the webhook (update.h)
 *   POST   /_fake/block                 {"chat_id":N[,"state":"blocked"]}: change a chat
 *                                       silently (blocked, deactivated, started, unknown)
 *   POST   /_fake/faults                {"code":429,"retry_after":3,"count":1,"chat_id":"C",
 *                                        "description":"...","migrate_to_chat_id":N}
 *   DELETE /_fake/faults                forget pending faults
 */
#ifndef FAKE_TG_ROUTER_H
#define FAKE_TG_ROUTER_H

struct evhttp_request;

/* evhttp's generic callback; arg is the struct fake. */
void router_handle(struct evhttp_request *req, void *arg);

#endif
