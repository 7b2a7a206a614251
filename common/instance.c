/* The instance's registration and heartbeat thread; see instance.h. */
#include "instance.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "sleeper.h"
#include "xmalloc.h"

struct instance {
	char             id[UUID_STR_LEN + 1];
	char            *service, *name;
	long             lease_ms, fresh_ms, beat_ms;
	struct db       *db;
	pthread_t        thread;
	struct sleeper   sl;
	bool             registered;
	atomic_int_least64_t fresh_until;   /* monotonic ms; 0: never fresh yet */
	atomic_uint      epoch;
};

/* Ends earlier instances of the same service and name, and inserts this one. 0 or -1. */
static int instance_register(struct instance *in)
{
	char lease[24];
	const char *params[4] = { in->id, in->service, in->name, lease };

	snprintf(lease, sizeof(lease), "%ld", in->lease_ms);
	if (db_cmd(in->db, "WITH ended AS (UPDATE service_instances SET stopped_at = now() "
	                   "WHERE service = $2 AND name = $3 AND stopped_at IS NULL AND id <> $1::uuid) "
	                   "INSERT INTO service_instances (id, service, name, lease_ms) "
	                   "VALUES ($1::uuid, $2, $3, $4::integer) "
	                   "ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopped_at = NULL",
	           4, params) != 0)
		return -1;
	/* Instances stopped long ago are history. */
	if (db_cmd(in->db, "DELETE FROM service_instances "
	                   "WHERE stopped_at < now() - interval '7 days'", 0, NULL) != 0)
		log_warn("instance.cleanup", "old instances not removed (PostgreSQL)");
	log_info("instance.registered", "%s instance %s (%s), lease %ld ms", in->service, in->id,
	         in->name, in->lease_ms);
	return 0;
}

/* One heartbeat: 1 done, 0 superseded (the row is gone or stopped), -1 failed. */
static int instance_beat(struct instance *in)
{
	const char *params[1] = { in->id };
	PGresult *res = db_exec(in->db, "UPDATE service_instances SET heartbeat_at = now() "
	                                "WHERE id = $1::uuid AND stopped_at IS NULL", 1, params);
	int rows;

	if (res == NULL)
		return -1;
	rows = atoi(PQcmdTuples(res));
	PQclear(res);
	return rows == 1 ? 1 : 0;
}

/* A beat (or the registration) that began at t0 succeeded: fresh again, maybe in a new epoch. */
static void instance_refresh(struct instance *in, int64_t t0)
{
	int64_t until = atomic_load(&in->fresh_until);

	if (until != 0 && clock_mono_ms() >= until) {
		/* Freshness was lost: claims from before may be someone else's now. */
		atomic_fetch_add(&in->epoch, 1);
		log_warn("instance.fresh_again", "%s instance %s: no heartbeat for a while; its "
		         "claims are checked again (epoch %u)", in->service, in->id,
		         atomic_load(&in->epoch));
	}
	atomic_store(&in->fresh_until, t0 + in->fresh_ms);
}

/* Registers or beats once. */
static void instance_tick(struct instance *in)
{
	int64_t t0 = clock_mono_ms();
	int rc;

	if (!in->registered) {
		if (instance_register(in) == 0) {
			in->registered = true;
			instance_refresh(in, t0);
		}
		return;
	}
	rc = instance_beat(in);
	if (rc == 1) {
		instance_refresh(in, t0);
	} else if (rc == 0) {
		/* Another process claims our name, or an operator ended us: start over. */
		log_error("instance.superseded", "%s instance %s is no longer registered; "
		          "registering again", in->service, in->id);
		atomic_fetch_add(&in->epoch, 1);
		in->registered = false;
	}
}

static void *instance_main(void *arg)
{
	struct instance *in = arg;

	do
		instance_tick(in);
	while (!sleeper_sleep(&in->sl, in->registered ? in->beat_ms : 500));
	return NULL;
}

struct instance *instance_start(const char *dsn, const char *service, const char *name,
                                long lease_ms, long fresh_ms)
{
	struct instance *in = xcalloc(1, sizeof(*in));

	uuid_v4(in->id);
	in->service = xstrdup(service);
	in->name = xstrdup(name);
	in->lease_ms = lease_ms;
	in->fresh_ms = fresh_ms < lease_ms ? fresh_ms : lease_ms / 2;
	in->beat_ms = lease_ms / 10 > 100 ? lease_ms / 10 : 100;
	in->db = db_new(dsn);
	/* A beat must not outlast freshness. */
	db_set_timeout(in->db, in->fresh_ms / 2);
	sleeper_init(&in->sl);
	if (pthread_create(&in->thread, NULL, instance_main, in) != 0) {
		log_error("instance.start_failed", "cannot start the heartbeat thread");
		db_free(in->db);
		free(in->service);
		free(in->name);
		free(in);
		return NULL;
	}
	return in;
}

void instance_stop(struct instance *in)
{
	const char *params[1];

	if (in == NULL)
		return;
	sleeper_stop(&in->sl);
	pthread_join(in->thread, NULL);
	params[0] = in->id;
	if (in->registered &&
	    db_cmd(in->db, "UPDATE service_instances SET stopped_at = now() WHERE id = $1::uuid",
	           1, params) != 0)
		log_warn("instance.stop_unrecorded", "instance %s: stop not recorded; its claims "
		         "free up when its lease runs out", in->id);
	db_free(in->db);
	sleeper_destroy(&in->sl);
	free(in->service);
	free(in->name);
	free(in);
}

const char *instance_id(const struct instance *in)
{
	return in->id;
}

bool instance_fresh(const struct instance *in)
{
	return clock_mono_ms() < atomic_load(&((struct instance *)in)->fresh_until);
}

unsigned instance_epoch(const struct instance *in)
{
	return atomic_load(&((struct instance *)in)->epoch);
}

char *instance_default_name(long port)
{
	char host[256];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	return xasprintf("%s:%ld", host, port);
}
