/*
 * banditorectl quarantine list / quarantine replay: the records services
 * set aside on the quarantine topic (common/quarantine.h), read with a
 * throwaway consumer (ctl_read_topic), and their replays (qdb.h).
 * Payloads are never printed, only their sizes: they may hold personal data.
 */
#ifndef BND_CTL_QCTL_H
#define BND_CTL_QCTL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "qrec.h"

/*
 * quarantine list [--limit N] [--topic T] (-o json|text, --json: ctl_format): oldest
 * first, each record's id (PARTITION:OFFSET in the quarantine topic), time
 * (UTC), service, source topic, partition and offset, error, value size
 * and whether (when, how often) it was replayed. --topic: only records
 * read from topic T (with or without the stack's prefix); --limit: the
 * oldest N of them. If PostgreSQL cannot be read, replays show as unknown.
 */
int ctl_quarantine_list(int argc, char **argv);

/*
 * quarantine replay (--id P:O | --all) [--topic T] [--dry-run]: produces
 * each chosen record's original key and value back to its source topic,
 * waits for Kafka's acknowledgement and records the replay (in the same
 * PostgreSQL transaction that locked the record's row). --all: every
 * record not replayed yet (of topic T if given), oldest first; --id: that
 * record, even if replayed before. A record whose source is not one of
 * this stack's topics, or is not said, is refused. --dry-run: says what
 * would be replayed, changes nothing.
 */
int ctl_quarantine_replay(int argc, char **argv);

/* The longer texts of `quarantine list --help` and `quarantine replay --help`. */
extern const char qlist_help[];
extern const char qreplay_help[];

/* The arguments of quarantine replay. */
struct qreplay_args {
	bool        all;
	bool        dry_run;
	bool        has_id;
	int32_t     partition;   /* --id */
	int64_t     offset;
	const char *topic;       /* --topic, or NULL */
};
/* Parses them; CTL_OK or CTL_USAGE (printed). */
int qreplay_args(int argc, char **argv, struct qreplay_args *a)
    __attribute__((warn_unused_result));

/* One record as `quarantine list -o json` shows it (no key or value bytes;
 * db_ok false: replays unknown). Caller decrefs. */
json_t *qlist_json(const struct qrec *r, bool db_ok);

#endif
