/*
 * Request routing of the fake: the Graph API send path, the test-control
 * endpoints under /_fake/ and /healthz.
 *   GET    /_fake/messages[?to=<digits>][&phone_number_id=<id>]
 *                                         {"messages":[...accepted...]}
 *   DELETE /_fake/messages                forget recorded messages (and what the
 *                                         duplicate counter remembers)
 *   GET    /_fake/stats                   counters: accepted, rejected, throttled
 *                                         (130429 and 131056 answers), errors_injected,
 *                                         duplicates, first/last_accepted_ms, recorded,
 *                                         accepted_by_sender {"<pnid>":N},
 *                                         statuses_sent (status webhooks the receiver
 *                                         took), statuses_pending (held: waiting, in
 *                                         flight or to be retried; statuses.h)
 *   DELETE /_fake/stats                   zero the counters (statuses_pending stays)
 *   GET    /_fake/config                  the knobs (knobs.h)
 *   POST   /_fake/config                  change some knobs: {"rate":200, ...},
 *                                         {"status_webhooks":true, "status_delay_ms":0}
 *   GET    /_fake/faults                  pending faults, with their hits
 *   POST   /_fake/faults                  inject a fault (faults.h)
 *   DELETE /_fake/faults                  forget every fault
 *   POST   /_fake/inbound                 send a signed inbound webhook
 *   DELETE /_fake/windows                 close every 24-hour window
 */
#ifndef FAKE_WA_ROUTER_H
#define FAKE_WA_ROUTER_H

struct evhttp_request;

/* evhttp's generic callback; arg is the struct fake. */
void router_handle(struct evhttp_request *req, void *arg);

#endif
