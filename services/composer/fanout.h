/*
 * Fan-out of an approved notice over the comune's channels in id order:
 * one job per active subscriber and channel (WhatsApp template, Telegram
 * HTML text in bot mode), streamed from PostgreSQL page by page (keyset
 * pagination on subscribers.id: bounded memory, no long transaction),
 * produced to Kafka, checkpointed after each acknowledged page so a
 * restarted composer resumes where it stopped. A Telegram channel with a
 * public channel first gets its one channel post (job
 * "post:<notice>:<channel>", checkpointed as subscriber -1). Jobs in
 * flight at a crash are produced again; their deterministic ids let the
 * dispatcher drop the second copy.
 */
#ifndef BND_FANOUT_H
#define BND_FANOUT_H

#include "service.h"

/* 0 when the notice is fully fanned out (status sent), -1 to retry. */
int fanout_run(struct service *svc, const char *notice_id, long page)
    __attribute__((warn_unused_result));

#endif
