/*
 * The editors' console's API (docs/api.md, "Console authentication"):
 *   POST /console/api/login   {"comune","login","password"} -> 200 and the cookie
 *   GET  /console/api/me      the person of the session
 *   POST /console/api/logout  the session ends (X-CSRF-Token)
 * and the staff accounts of the caller's comune, for approvers:
 *   GET  /api/v1/staff, POST /api/v1/staff, POST /api/v1/staff/{login}/disable
 */
#ifndef BND_CONSOLE_H
#define BND_CONSOLE_H

#include <jansson.h>

#include "core/route.h"

struct ingest;
struct evhttp_request;

/* The login (public route: its own per-address limit and per-account lockout). */
void console_handle_login(struct ingest *ing, struct evhttp_request *req,
                          const struct route_args *ra);
/* GET /console/api/me (ROUTE_SESSION). */
void console_handle_me(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);
/* What login and /me answer: {"name","login","role","comune","csrf","alert_kind"}. */
json_t *console_me_json(const struct console_staff *st);
/* POST /console/api/logout (ROUTE_SESSION). */
void console_handle_logout(struct ingest *ing, struct evhttp_request *req,
                           const struct route_args *ra);
/* GET and POST /api/v1/staff (ROUTE_API_KEY). */
void staff_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);
/* POST /api/v1/staff/{login}/disable (ROUTE_API_KEY; ra->rest after /staff/). */
void staff_handle_sub(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);
/* Limits and the password library; 0 or -1 (logged). Once at start-up. */
int console_init(void) __attribute__((warn_unused_result));
/* Registers the console's metrics. */
void console_metrics_register(void);

#endif
