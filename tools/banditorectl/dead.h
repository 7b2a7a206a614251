/*
 * banditorectl dead list / dead replay: the dead-letter topic
 * (delivery.dead), read from its beginning with a throwaway consumer that
 * commits nothing.
 * A dead letter as the dispatcher writes it (services/dispatcher/outcome.h):
 *   key "<reason>:<sender_account>", value the DeliveryJob (attempt = tries made);
 *   key "undecodable:<original key>", value the original bytes.
 * The original topic is not recorded: jobs are replayed to delivery.jobs,
 * where every job starts (the dispatcher's own retry topic only holds
 * copies of them).
 */
#ifndef BND_CTL_DEAD_H
#define BND_CTL_DEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "events.h"

/* dead list [--limit N] (-o json: a JSON array): job id, reason, time (UTC), sender,
 * redacted address, attempts; oldest first. */
int ctl_dead_list(int argc, char **argv);
/* dead replay --job ID | --all | [--notice ID] [--comune ID] [--since TIME]
 * [--dry-run]: each dead job chosen (once per job id) goes back to
 * delivery.jobs (an urgent notice's to delivery.jobs.urgent) with its
 * attempts reset; its 'dead' row in the deliveries ledger is removed so
 * the dispatcher sends it again. Jobs of erased subscribers are never
 * replayed. --dry-run: lists them, changes nothing. */
int ctl_dead_replay(int argc, char **argv);

/* The arguments of dead replay: one job, or every job matching all the
 * filters given (--all: no filter needed). */
struct dead_replay_args {
	const char *job_id;                 /* --job, or NULL */
	bool all;
	char notice[UUID_STR_LEN + 1];      /* --notice, or "" */
	const char *comune;                 /* --comune: the job's comune, or NULL */
	int64_t since_ms;                   /* --since: dead-lettered then or later; 0 any */
	bool dry_run;
};
/* Parses them; CTL_OK or CTL_USAGE (printed). */
int dead_replay_args(int argc, char **argv, struct dead_replay_args *a)
    __attribute__((warn_unused_result));
/* true if a chooses the job, dead-lettered at dead_ms (Unix ms). */
bool dead_match(const struct dead_replay_args *a, const Banditore__V1__DeliveryJob *job,
                int64_t dead_ms);

/* The reason part of a dead letter's key ("no_credentials:123" -> "no_credentials"),
 * copied to out; "unknown" if the key has no ':'. */
void dead_key_reason(const void *key, size_t klen, char *out, size_t outlen);

#endif
