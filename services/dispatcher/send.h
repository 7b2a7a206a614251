/*
 * The send phase of a batch: every WAITING job is sent, its answer
 * classified (wa_errors.h, tg_errors.h) and either decided (sent, failed, dead) or
 * retried in-process with backoff, until every job is DONE or, once the
 * drain deadline has passed, ABANDONED (neither recorded nor committed,
 * so the next owner of the partition sends it).
 */
#ifndef DSP_SEND_H
#define DSP_SEND_H

#include <stddef.h>

#include "batch.h"

struct creds;
struct db;
struct pclient;

struct send_ctx {
	struct pclient *cl;
	struct creds   *creds;
	struct db      *db;
	struct drain   *drain;
	unsigned        max_attempts;
	const char     *wa_api_base;
	const char     *tg_api_base;
};

void send_run(struct send_ctx *sc, struct job_slot *slots, size_t n);

#endif
