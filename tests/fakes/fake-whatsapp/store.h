/*
 * What the fake remembers: every accepted message (compactly: texts,
 * template names and parameter lists are stored once however many
 * messages share them, so 200,000 notices fit in a few tens of MB),
 * counters for /_fake/stats, a duplicate detector (the same recipient
 * accepted the same content twice) and the 24-hour customer-service
 * windows opened by inbound messages, per (phone-number id, wa_id).
 */
#ifndef FAKE_WA_STORE_H
#define FAKE_WA_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define STORE_WINDOW_MS (24LL * 3600 * 1000)

#define STORE_WAMID_LEN 64

struct store;

/* Counters shown by GET /_fake/stats (zeroed by store_stats_reset). */
struct store_stats {
	long    accepted;
	long    rejected;          /* every refusal, the ones below included */
	long    throttled_130429;  /* sender throughput */
	long    throttled_131056;  /* pair rate */
	long    injected;          /* answers decided by a fault (errors, timeouts, resets) */
	long    duplicates;        /* accepted again: same recipient, same content */
	int64_t first_accepted_ms; /* wall clock; 0: none yet */
	int64_t last_accepted_ms;
};

struct store *store_new(void);
void store_free(struct store *st);

/* A new message id, unique in this process: "wamid.HBgL<hex>". */
void store_wamid(struct store *st, char out[STORE_WAMID_LEN]);
/*
 * Records an accepted send request (msg: its JSON body, already valid)
 * from phone_number_id at now_ms, gives it a new wamid (copied to
 * wamid) and counts it. Returns true if it duplicates an earlier record.
 */
bool store_accept(struct store *st, const char *phone_number_id, const json_t *msg,
                  int64_t now_ms, char wamid[STORE_WAMID_LEN]);
/* Counts a send request that was refused with Meta error code (0: not a Meta error). */
void store_reject(struct store *st, int code, bool injected);
const struct store_stats *store_stats(const struct store *st);
void store_stats_reset(struct store *st);
long store_accepted(const struct store *st);
long store_rejected(const struct store *st);
/* Number of records kept. */
size_t store_count(const struct store *st);
/*
 * The records, oldest first, or those whose "to" equals to and/or sent by
 * phone-number id pnid (either may be NULL: any), as JSON: {phone_number_id, to, type, wamid, biz_opaque_callback_data,
 * ts_ms} plus "text" (the body) or "template", "language" and "params"
 * (body parameter texts). New reference.
 */
json_t *store_messages(const struct store *st, const char *to, const char *pnid);
/* Forgets every recorded message and what the duplicate detector saw (counters stay). */
void store_clear(struct store *st);

/* An inbound message from wa_id to phone_number_id at now_ms opens (or renews) the window. */
void store_window_touch(struct store *st, const char *phone_number_id,
                        const char *wa_id, int64_t now_ms);
/* true if a window is open at now_ms. */
bool store_window_is_open(const struct store *st, const char *phone_number_id,
                          const char *wa_id, int64_t now_ms);
/* Closes every window. */
void store_windows_clear(struct store *st);

#endif
