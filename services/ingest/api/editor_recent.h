/*
 * Read-your-writes for the editors' API. A write answers once Kafka has
 * the event, but the composer applies it a moment later; a client that
 * creates then submits at once must not get a 404 or a stale 409. Ingest
 * remembers, for a few seconds, what the notice looked like when it
 * produced an event, and checks that wait (re-read shortly) while
 * PostgreSQL still shows that. Loop thread only; a bounded table.
 */
#ifndef BND_EDITOR_RECENT_H
#define BND_EDITOR_RECENT_H

#include <stdbool.h>

#define EDITOR_RECENT_MS 3000      /* how long a write is waited for */
#define EDITOR_RECENT_LATE_MS 60000 /* then 503 "retry" instead of a stale answer */
#define EDITOR_RECENT_RETRY_MS 40  /* re-read period while waiting */
#define EDITOR_RECENT_KEEP 1024    /* writes remembered at once; the oldest makes room */

enum editor_recent {
	RECENT_APPLIED,   /* nothing to wait for: answer from what PostgreSQL shows */
	RECENT_WAITING,   /* re-read in EDITOR_RECENT_RETRY_MS */
	RECENT_LATE,      /* the composer is behind: answer 503, retry later */
};

/* Events were produced for notice id, whose history had events rows
 * before (0 for a new notice): wait until PostgreSQL shows more. */
void editor_recent_note(const char *id, int events);
/* Whether PostgreSQL (exists, events) shows the last write on id yet. */
enum editor_recent editor_recent_check(const char *id, bool exists, int events);

#endif
