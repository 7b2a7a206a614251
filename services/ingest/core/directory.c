/*
 * The directory's refresh thread and copy-out lookups. The thread owns
 * the PostgreSQL connection and sleeps on a sleeper (sleeper.h) that a
 * lookup's miss wakes; the sleeper's mutex also guards the snapshot
 * pointer and is never held across a query.
 */
#include "core/directory.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "log.h"
#include "sleeper.h"
#include "xmalloc.h"
#include "core/dir_snapshot.h"
#include "core/form_comuni.h"
#include "core/ingest_metrics.h"

#define DIR_DEMAND_GAP_MS 1000   /* on-demand refreshes at most once a second */
#define DIR_RETRY_MS 1000        /* after a failed load */
#define DIR_STOP_WAIT_MS 2000

struct directory {
	char *dsn;
	long refresh_ms;
	pthread_t thread;
	bool started;
	struct sleeper sl;         /* woken: a refresh asked for early */
	struct dir_snapshot *snap; /* under sl.mu */
	int64_t last_demand_ms;    /* under sl.mu */
	atomic_bool loaded;
	atomic_bool exited;
	_Atomic int64_t snap_ms;   /* when the snapshot in use began loading */
};

struct directory *dir_new(const char *dsn, long refresh_ms)
{
	struct directory *dir = xcalloc(1, sizeof(*dir));

	dir->dsn = xstrdup(dsn);
	dir->refresh_ms = refresh_ms > 0 ? refresh_ms : 5000;
	dir->last_demand_ms = -DIR_DEMAND_GAP_MS;
	sleeper_init(&dir->sl);
	return dir;
}

/* Installs a fresh snapshot; the old one is freed outside the lock. */
static void dir_swap(struct directory *dir, struct dir_snapshot *snap)
{
	struct dir_snapshot *old;

	pthread_mutex_lock(&dir->sl.mu);
	old = dir->snap;
	dir->snap = snap;
	pthread_mutex_unlock(&dir->sl.mu);
	dir_snapshot_free(old);
}

/* Refresh thread: load, swap, wait; keep the last snapshot on failure. */
static void *dir_run(void *arg)
{
	struct directory *dir = arg;
	struct db *db = db_new(dir->dsn);
	bool failing = false;

	for (;;) {
		/* Only this thread writes dir->snap: reading it unlocked is safe. */
		int64_t began = clock_mono_ms();
		struct dir_snapshot *snap = dir_snapshot_load(db, dir->snap);

		if (snap != NULL) {
			metric_set(&im_dir_channels, (long)snap->nchannels);
			metric_set(&im_dir_keys, (long)snap->nkeys);
			metric_add(&im_dir_refreshes, 1);
			if (failing || !atomic_load(&dir->loaded))
				log_info("directory.loaded", "%zu channels, %zu api keys",
				         snap->nchannels, snap->nkeys);
			dir_swap(dir, snap);
			atomic_store(&dir->snap_ms, began);
			atomic_store(&dir->loaded, true);
			failing = false;
		} else {
			metric_add(&im_dir_errors, 1);
			if (!failing)
				log_warn("directory.load_failed", "keeping the %s snapshot; retrying",
				         atomic_load(&dir->loaded) ? "last" : "(empty)");
			failing = true;
		}
		if (sleeper_sleep(&dir->sl, failing && dir->refresh_ms > DIR_RETRY_MS ? DIR_RETRY_MS
		                                                                     : dir->refresh_ms))
			break;
	}
	db_free(db);
	atomic_store(&dir->exited, true);
	return NULL;
}

int64_t dir_snapshot_ms(struct directory *dir)
{
	return atomic_load(&dir->snap_ms);
}

int dir_start(struct directory *dir)
{
	if (pthread_create(&dir->thread, NULL, dir_run, dir) != 0)
		return -1;
	dir->started = true;
	return 0;
}

void dir_free(struct directory *dir)
{
	if (dir == NULL)
		return;
	if (dir->started) {
		sleeper_stop(&dir->sl);
		/* A query can hang on a dead server: don't let it hold the exit. */
		for (int i = 0; i < DIR_STOP_WAIT_MS / 10 && !atomic_load(&dir->exited); i++)
			clock_sleep_ms(10);
		if (!atomic_load(&dir->exited)) {
			log_warn("directory.stop_timeout", "refresh thread still busy; leaving it");
			return;
		}
		pthread_join(dir->thread, NULL);
	}
	dir_snapshot_free(dir->snap);
	sleeper_destroy(&dir->sl);
	free(dir->dsn);
	free(dir);
}

bool dir_ready(struct directory *dir)
{
	return atomic_load(&dir->loaded);
}

/* Unlocks; after a miss, first asks for an early refresh, at most once
 * per DIR_DEMAND_GAP_MS. */
static void dir_unlock(struct directory *dir, bool miss)
{
	int64_t now = clock_mono_ms();
	bool wake = miss && now - dir->last_demand_ms >= DIR_DEMAND_GAP_MS;

	if (wake)
		dir->last_demand_ms = now;
	pthread_mutex_unlock(&dir->sl.mu);
	if (wake)
		sleeper_wake(&dir->sl);
}

bool dir_channel_find(struct directory *dir, const char *kind,
                      const char *sender_account, struct dir_channel *out)
{
	const struct dir_channel *ch = NULL;

	pthread_mutex_lock(&dir->sl.mu);
	if (dir->snap != NULL)
		ch = dir_snapshot_channel(dir->snap, kind, sender_account);
	if (ch != NULL)
		*out = *ch;
	dir_unlock(dir, ch == NULL);
	return ch != NULL;
}

bool dir_comune_find(struct directory *dir, const char *id, struct form_comune *out)
{
	const struct form_comune *c = NULL;

	pthread_mutex_lock(&dir->sl.mu);
	if (dir->snap != NULL)
		c = form_comuni_find(dir->snap->comuni, dir->snap->ncomuni, id);
	if (c != NULL && out != NULL)
		*out = *c;
	dir_unlock(dir, c == NULL);
	return c != NULL;
}

bool dir_api_key_find(struct directory *dir, const char *key_sha256,
                      struct dir_api_key *out)
{
	const struct dir_api_key *key = NULL;

	pthread_mutex_lock(&dir->sl.mu);
	if (dir->snap != NULL)
		key = dir_snapshot_key(dir->snap, key_sha256);
	if (key != NULL)
		*out = *key;
	dir_unlock(dir, key == NULL);
	return key != NULL;
}
