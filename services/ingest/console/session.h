/*
 * Console sessions (docs/api.md, "Console authentication"). The cookie
 * bnd_session holds a random token; PostgreSQL keeps its SHA-256 with the
 * person and the CSRF token. A session ends BND_CONSOLE_IDLE_S after its
 * last request, BND_CONSOLE_MAX_S after the login, at logout, or at once
 * when its person is disabled.
 *
 * The router hands a request with the cookie (and no Authorization
 * header) to session_route: the session is looked up on the editors'
 * PostgreSQL worker, and the route's handler then runs on the loop with
 * the person as its key (route_args.key) and ra->staff set. A request
 * that is not a GET must carry X-CSRF-Token equal to the session's.
 */
#ifndef BND_CONSOLE_SESSION_H
#define BND_CONSOLE_SESSION_H

#include <stdbool.h>

#include "account.h"
#include "crypto.h"
#include "core/directory.h"
#include "core/route.h"
#include "console/cookie.h"

struct db;
struct ingest;
struct evhttp_request;

/* The console's settings (ingest's configuration table, main.c). */
struct console_cfg {
	long idle_s;            /* BND_CONSOLE_IDLE_S */
	long max_s;             /* BND_CONSOLE_MAX_S */
	long login_queue;       /* BND_CONSOLE_LOGIN_QUEUE_MAX */
	long logins_per_minute; /* BND_CONSOLE_LOGINS_PER_MINUTE, per client address */
};
extern struct console_cfg console_cfg;

/* A logged-in person, as a handler sees them. */
struct console_staff {
	long long id; /* staff.id */
	char login[ACCOUNT_LOGIN_MAX];
	char csrf[TOKEN_LEN + 1];
	char token_sha256[SHA256_HEX_LEN + 1]; /* the session's */
	long expires_in;                       /* seconds left of the absolute lifetime */
	char alert_kind[16];                   /* "whatsapp", "telegram", "" none (session_load) */
	struct dir_api_key key;                /* the identity: id, comune, name, role */
};

/* true if the request carries a well-formed session cookie (into token). */
bool session_cookie(struct evhttp_request *req, char token[TOKEN_LEN + 1]);
/*
 * Worker thread: the live session of token into *out, its last_seen
 * renewed. 1 found, 0 none (expired, logged out, disabled), -1 on failure.
 */
int session_load(struct db *db, const char *token, struct console_staff *out)
    __attribute__((warn_unused_result));
/*
 * Runs route for a request authenticated by its session cookie (token):
 * 401 without a live session, 403 {"error":"csrf"} for a change without
 * the right X-CSRF-Token, 503 if PostgreSQL cannot say.
 */
void session_route(struct ingest *ing, struct evhttp_request *req, const struct route *route,
                   const struct route_args *args, const char *token);
/* 401 {"error":"unauthorized"}. */
void session_reply_unauthorized(struct evhttp_request *req);

#endif
