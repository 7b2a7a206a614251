/*
 * The comune's public web sign-up form (double opt-in):
 *   GET  /c/<comune>/iscrizione   the HTML form
 *   POST /c/<comune>/iscrizione   urlencoded (the form) or JSON
 *        {"phone": "...", "topics": ["..."], "privacy": true}
 * A valid sign-up becomes a CitizenMessage (source "form", type
 * "form_signup") on citizen.messages; the subscriptions service records
 * a pending request and sends the WhatsApp confirmation template. The
 * answer is 202 once Kafka acknowledged it (503 if not), the same
 * whether or not the number is subscribed already: nothing tells who is.
 * Abuse controls: a browser's POST must come from the comune's site or
 * this service's own pages (Origin, else Referer: 403 otherwise); 5
 * requests a minute and 30 a day per client address, 3 sign-ups a day per
 * number, shared by every replica (form_limits.h; 429 with Retry-After).
 */
#ifndef BND_FORM_HANDLER_H
#define BND_FORM_HANDLER_H

#include <event2/http.h>
#include <stdbool.h>

#include "core/client_addr.h"
#include "core/origin.h"
#include "core/route.h"

struct form_cfg {
	bool trust_forwarded;              /* BND_TRUST_FORWARDED: client IP from X-Forwarded-For */
	char own_origin[ORIGIN_MAX];       /* of BND_PUBLIC_BASE_URL; "": the request's Host */
};

extern struct form_cfg form_cfg;

/* The client's address as the abuse limits count it (client_addr.h):
 * the socket peer, or with BND_TRUST_FORWARDED the last X-Forwarded-For
 * entry (the one our own proxy appended). Also the console's login limit. */
void form_client_key(struct evhttp_request *req, char out[CA_KEY_MAX]);
/* GET (the page) or POST (a sign-up) of /c/<ra->comune>/iscrizione. */
void form_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);
/* Registers the form's metrics. Call once at start-up. */
void form_metrics_register(void);

#endif
