/*
 * This process as an instance in service_instances (migration 0007), the
 * holder of claims: a dispatcher's claimed deliveries, a composer's
 * fan-out of a notice. Others treat a claim as live while its instance
 * beats within its lease; so must the instance itself, or it could act
 * on a claim someone else has taken over after a pause (SIGSTOP, a long
 * GC of the host, a network partition from PostgreSQL).
 *
 * A thread of its own, with its own PostgreSQL connection, registers the
 * instance (ending any earlier instance of the same service and name: a
 * restart of the same pod frees its predecessor's claims at once) and
 * beats every lease/10. The instance is *fresh* until fresh_ms after the
 * start of its last successful beat (fresh_ms < lease_ms: the margin is
 * for what the holder may still be doing when it notices, e.g. a request
 * in flight). While not fresh, the holder must not act on its claims.
 * Every time freshness was lost and comes back, the *epoch* goes up:
 * claims made in an earlier epoch may have been taken over and must be
 * checked again before they are used.
 */
#ifndef BND_INSTANCE_H
#define BND_INSTANCE_H

#include <stdbool.h>

struct instance;

/* Starts the thread; the instance is not fresh until its first beat. */
struct instance *instance_start(const char *dsn, const char *service, const char *name,
                                long lease_ms, long fresh_ms);
/* Marks the instance stopped (its claims are free at once) and ends the thread. */
void instance_stop(struct instance *in);
/* The instance id (a UUID), stable for the process's life. */
const char *instance_id(const struct instance *in);
/* true while claims may be acted on. Any thread. */
bool instance_fresh(const struct instance *in);
/* The current epoch (see above). Any thread. */
unsigned instance_epoch(const struct instance *in);
/* "<host>:<port>", the default instance name. Caller frees. */
char *instance_default_name(long port);

#endif
