/*
 * The sign-up form's abuse limits, shared by every ingest replica through
 * PostgreSQL (table form_limits, function form_limit_hit, migration 0009):
 * 5 requests a minute and 30 a day per client address (an IPv4 address,
 * an IPv6 /64: client_addr.h), 3 sign-ups a day per number (counted under
 * its keyed hash, citizen_key.h: the table never holds a number). Counted
 * on a PostgreSQL worker of the form's own (ing->dbw_form), never on the
 * loop. If PostgreSQL does not answer, or too many requests wait for it,
 * this replica's memory counts instead (form_ratelimit.h): the form stays
 * limited, if per replica only, and available.
 */
#ifndef BND_FORM_LIMITS_H
#define BND_FORM_LIMITS_H

#include <stdint.h>

struct ingest;

enum fl_verdict {
	FL_OK,               /* counted: go on */
	FL_CLIENT_LIMITED,   /* the client address has no room: nothing counted */
	FL_NUMBER_LIMITED,   /* the number has no room (the request was counted) */
	FL_UNAVAILABLE,      /* shutting down: answer 503 */
};

/* wait_ms: with a _LIMITED verdict, how long until there is room. */
typedef void (*fl_done_fn)(void *arg, enum fl_verdict verdict, int64_t wait_ms);

/*
 * Counts a request from client (a client_addr key) and, if number_hash is
 * not NULL, a sign-up of that number: the number only if the client had
 * room. done(arg, ...) runs exactly once, on the loop thread, possibly
 * before fl_check returns.
 */
void fl_check(struct ingest *ing, const char *client, const char *number_hash,
              fl_done_fn done, void *arg);
/* Registers the limits' metrics. Call once at start-up. */
void fl_metrics_register(void);

#endif
