/*
 * Request routing of the fake: the Graph API send path, the test-control
 * endpoints under /_fake/ and /healthz.
 *   GET    /_fake/messages[?to=<digits>]  {"messages":[...accepted...]}
 *   DELETE /_fake/messages                forget recorded messages
 *   GET    /_fake/stats                   {"accepted":N,"rejected":N}
 *   POST   /_fake/inbound                 send a signed inbound webhook
 *   DELETE /_fake/windows                 close every 24-hour window
 */
#ifndef FAKE_WA_ROUTER_H
#define FAKE_WA_ROUTER_H

struct evhttp_request;

/* evhttp's generic callback; arg is the struct fake. */
void router_handle(struct evhttp_request *req, void *arg);

#endif
