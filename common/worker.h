/*
 * The consume loop of a worker service: one message at a time, handled
 * until its effect is durable, then its offset committed. A handler
 * that cannot reach PostgreSQL or Kafka answers WORK_RETRY and the same
 * message is retried with backoff (never skipped); a message that can
 * never be handled (undecodable, refused data, unknown notice) answers
 * WORK_REJECT with the reason: it is set aside on the quarantine topic
 * (quarantine.h) and committed past. A message whose retries fail the
 * same way BND_POISON_RETRIES times while PostgreSQL and Kafka answer is
 * rejected too. Ends on SIGTERM/SIGINT after the message in hand is
 * finished or abandoned uncommitted.
 *
 * Offsets are stored after each handled message and committed in the
 * background every WORKER_COMMIT_MS or WORKER_COMMIT_EVERY messages (and
 * synchronously at shutdown). A crash can therefore hand the last few
 * handled messages to the next owner again: every handler is idempotent
 * (the ledger and job ids make a replay a no-op), which is what makes
 * this safe and spares a broker round trip per message.
 */
#ifndef BND_WORKER_H
#define BND_WORKER_H

#include <stdarg.h>

#include "db.h"
#include "kafka.h"
#include "quarantine.h"

enum work_result {
	WORK_DONE,    /* effect durable: commit */
	WORK_RETRY,   /* transient failure: retry the same message later */
	WORK_REJECT,  /* can never succeed: log and commit past it */
};

#define WORKER_COMMIT_MS 200
#define WORKER_COMMIT_EVERY 500

/*
 * Why a message was not handled, filled by the handler: always with
 * WORK_REJECT; with WORK_RETRY when the failure may be the message's
 * ("" when it is the infrastructure's: not counted as the message's).
 */
struct work_fault {
	char why[QN_WHY_MAX + 1];
};

typedef enum work_result (*work_handler)(const rd_kafka_message_t *msg, void *arg,
                                         struct work_fault *fault);

/* Fill fault and return WORK_REJECT / WORK_RETRY. */
enum work_result work_reject(struct work_fault *fault, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum work_result work_retry(struct work_fault *fault, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * After a failed PostgreSQL call (db_fault): data refused -> WORK_REJECT
 * with PostgreSQL's error; PostgreSQL down or in a transient state ->
 * WORK_RETRY, not the message's fault; anything else -> WORK_RETRY with
 * the error, so that repeating it makes the message's fault.
 */
enum work_result work_db(struct work_fault *fault, const struct db *db);

/* Runs until shutdown is requested; q receives rejected messages. Returns 0 on a clean stop. */
int worker_run(struct kq_consumer *kc, struct quarantine *q, work_handler handle, void *arg);
/* Backoff for the n-th consecutive retry (0-based): 100 ms doubling to 5 s. */
long worker_backoff_ms(unsigned n);

#endif
