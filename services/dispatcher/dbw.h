/*
 * A ledger worker: a thread with its own PostgreSQL connection that runs
 * the dispatcher's database steps (the checks of newly consumed jobs, the
 * recording of finished ones; the dispatcher runs one worker for each),
 * so the main thread keeps sending while PostgreSQL answers. Requests are handled in order; each
 * step is retried until it succeeds or the drain deadline passes
 * (rc = -1 then). The main thread polls for finished requests.
 * Ownership: a submitted request (and its slots) belongs to the worker
 * until dbw_take returns it.
 */
#ifndef DSP_DBW_H
#define DSP_DBW_H

#include <stdbool.h>
#include <stdint.h>

#include "backlog.h"
#include "batch.h"

enum dbw_kind {
	DBW_CHECK,    /* duplicates, ledger claim, consent and cancelled notices,
	                 validation, WhatsApp messaging limit (reach.h) */
	DBW_RECORD,   /* outcomes into the deliveries table; claims given back
	                 (slot->release); deferred jobs into the backlog, finished
	                 ones out of it */
	DBW_REFILL,   /* a sender's jobs read back from the backlog, then as DBW_CHECK */
	DBW_CENSUS,   /* the backlog's counts for our partitions */
};

struct dbw_req {
	enum dbw_kind   kind;
	struct batch    slots;
	int             rc;      /* 0, or -1: PostgreSQL still failing at the drain deadline */
	/* DBW_REFILL: up to k of the channel's jobs, not those in memory (except:
	 * NULL-terminated, owned by the request) */
	long long       channel_id;
	long            k;
	char          **except;
	/* DBW_CENSUS: the partitions asked for (owned), the counts found (owned) */
	int32_t        *parts;
	size_t          nparts;
	struct backlog_count *counts;
	size_t          ncounts;
	struct dbw_req *next;
};

/* Frees a request's own parts (not its slots). */
void dbw_req_free(struct dbw_req *req);

struct dbw;
struct instance;
struct quarantine;

/*
 * inst: the claims' holder (the check claims jobs, the record gives claims
 * back); qn: for telling a job's fault from PostgreSQL's. A step that
 * PostgreSQL refuses for a reason of its data (or fails the same way
 * BND_POISON_RETRIES times while PostgreSQL answers) is run job by job,
 * and a job it still refuses becomes poison (slot_poison): quarantined at
 * the flush, never stepped again.
 */
struct dbw *dbw_start(const char *dsn, long drain_timeout_ms, const struct instance *inst,
                      const struct quarantine *qn);
/* Stops the thread (after the request in hand) and frees it; requests not
 * taken back are freed with their slots. */
void dbw_stop(struct dbw *w);
void dbw_submit(struct dbw *w, struct dbw_req *req);
/* Finished requests, oldest first (a list through ->next), or NULL. */
struct dbw_req *dbw_take(struct dbw *w);

#endif
