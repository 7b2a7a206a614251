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

#include "batch.h"

enum dbw_kind {
	DBW_CHECK,    /* decode, duplicates, ledger claim, consent and cancelled notices,
	                 validation, WhatsApp messaging limit (reach.h) */
	DBW_RECORD,   /* outcomes into the deliveries table; claims given back (slot->release) */
};

struct dbw_req {
	enum dbw_kind   kind;
	struct batch    slots;
	int             rc;      /* 0, or -1: PostgreSQL still failing at the drain deadline */
	struct dbw_req *next;
};

struct dbw;
struct instance;

/* inst: the claims' holder (the check claims jobs, the record gives claims back). */
struct dbw *dbw_start(const char *dsn, long drain_timeout_ms, const struct instance *inst);
/* Stops the thread (after the request in hand) and frees it; requests not
 * taken back are freed with their slots. */
void dbw_stop(struct dbw *w);
void dbw_submit(struct dbw *w, struct dbw_req *req);
/* Finished requests, oldest first (a list through ->next), or NULL. */
struct dbw_req *dbw_take(struct dbw *w);
/* Requests submitted and not yet taken back. */
int dbw_outstanding(struct dbw *w);

#endif
