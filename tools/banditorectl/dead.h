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

#include <stddef.h>

/* dead list [--limit N] (-o json: a JSON array): job id, reason, time (UTC), sender,
 * redacted address, attempts; oldest first. */
int ctl_dead_list(int argc, char **argv);
/* dead replay --job ID | --all: each dead job (once per job id) goes back
 * to delivery.jobs with its attempts reset; its 'dead' row in the
 * deliveries ledger is removed so the dispatcher sends it again. */
int ctl_dead_replay(int argc, char **argv);

/* The reason part of a dead letter's key ("no_credentials:123" -> "no_credentials"),
 * copied to out; "unknown" if the key has no ':'. */
void dead_key_reason(const void *key, size_t klen, char *out, size_t outlen);

#endif
