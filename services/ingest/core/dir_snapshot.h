/* Directory snapshots: built from PostgreSQL, then read-only. */
#ifndef BND_DIR_SNAPSHOT_H
#define BND_DIR_SNAPSHOT_H

#include "db.h"
#include "core/directory.h"

/* Sorted by (kind, sender_account) and by key_sha256, for bsearch. */
struct dir_snapshot {
	struct dir_channel *channels;
	size_t nchannels;
	struct dir_api_key *keys;
	size_t nkeys;
	struct form_comune *comuni;   /* sorted by id (form_comuni.h) */
	size_t ncomuni;
};

/*
 * Loads a snapshot (secrets resolved). prev, if any, only decides
 * whether a secret problem is news worth a warning. NULL if PostgreSQL
 * failed (logged).
 */
struct dir_snapshot *dir_snapshot_load(struct db *db, const struct dir_snapshot *prev)
    __attribute__((warn_unused_result));
/* Wipes the secrets and frees. NULL is allowed. */
void dir_snapshot_free(struct dir_snapshot *snap);
/* Lookups by binary search; NULL if absent. */
const struct dir_channel *dir_snapshot_channel(const struct dir_snapshot *snap,
                                               const char *kind, const char *sender);
const struct dir_api_key *dir_snapshot_key(const struct dir_snapshot *snap,
                                           const char *key_sha256);

#endif
