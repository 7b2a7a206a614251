/*
 * A PostgreSQL worker (pgw) for the ledger: a thread with its own connection that runs
 * the dispatcher's database steps (the checks of newly consumed jobs, the
 * recording of finished ones; the dispatcher runs one worker for each),
 * so the main thread keeps sending while PostgreSQL answers. Requests are handled in order; each
 * step is retried until it succeeds or the drain deadline passes
 * (rc = -1 then). The main thread polls for finished requests.
 * Ownership: a submitted request (and its slots) belongs to the worker
 * until pgw_take returns it.
 */
#ifndef DSP_PGW_H
#define DSP_PGW_H

#include <stdbool.h>
#include <stdint.h>

#include "backlog.h"
#include "batch.h"

enum pgw_kind {
	PGW_CHECK,    /* duplicates, ledger claim, consent and cancelled notices,
	                 validation, WhatsApp messaging limit (reach.h) */
	PGW_RECORD,   /* outcomes into the deliveries table; claims given back
	                 (slot->release); deferred jobs into the backlog, finished
	                 ones out of it */
	PGW_REFILL,   /* a sender's jobs read back from the backlog, then as PGW_CHECK */
	PGW_CENSUS,   /* the backlog's counts for our partitions */
};

struct pgw_req {
	enum pgw_kind   kind;
	struct batch    slots;
	int             rc;      /* 0, or -1: PostgreSQL still failing at the drain deadline */
	/* PGW_REFILL: up to k of the channel's jobs, not those in memory (except:
	 * NULL-terminated, owned by the request) */
	long long       channel_id;
	long            k;
	char          **except;
	/* PGW_CENSUS: the partitions asked for (owned), the counts found (owned) */
	int32_t        *parts;
	size_t          nparts;
	struct backlog_count *counts;
	size_t          ncounts;
	struct pgw_req *next;
};

/* Frees a request's own parts (not its slots). */
void pgw_req_free(struct pgw_req *req);

struct pgw;
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
struct pgw *pgw_start(const char *dsn, long drain_timeout_ms, const struct instance *inst,
                      const struct quarantine *qn);
/* Stops the thread (after the request in hand) and frees it; requests not
 * taken back are freed with their slots. */
void pgw_stop(struct pgw *w);
void pgw_submit(struct pgw *w, struct pgw_req *req);
/* Finished requests, oldest first (a list through ->next), or NULL. */
struct pgw_req *pgw_take(struct pgw *w);

#endif
