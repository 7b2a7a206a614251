/*
 * Checks on freshly consumed jobs: decoding (one at a time, as it is
 * taken), then all of a turn's jobs at once: in-group duplicates, request
 * bodies. (The PostgreSQL checks are in ledger.h.) What fails a check is
 * DONE with its outcome.
 */
#ifndef DSP_CHECK_H
#define DSP_CHECK_H

#include "batch.h"

/* A job id's longest (bytes). */
#define CHECK_JOB_ID_MAX 256
/* Unpacks a consumed job (on taking it); what cannot be read, or carries
 * text the ledger would refuse, is poison (quarantined as is). */
void check_decode(struct job_slot *slot);
/* Marks a job id's second and later occurrences in the group. */
void check_dedupe(struct batch *b);
/* Marks the jobs not due at wall_ms (wall clock) SLOT_LATER: no checks now. */
void check_not_due(struct batch *b, int64_t wall_ms);
/* Checks what can be checked without the network; finds each job's provider
 * (a kind none sends is dead: unsupported_kind) and builds its request. */
void check_validate(struct batch *b);

#endif
