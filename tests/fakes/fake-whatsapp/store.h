/*
 * What the fake remembers: every accepted message (as the JSON record
 * GET /_fake/messages returns), counters, and the 24-hour customer-service
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

struct store *store_new(void);
void store_free(struct store *st);

/* A new message id, unique in this process: "wamid.HBgL<hex>". */
void store_wamid(struct store *st, char out[STORE_WAMID_LEN]);
/* Appends an accepted message record; takes ownership of rec. */
void store_record(struct store *st, json_t *rec);
/* Counts a send request that was refused. */
void store_reject(struct store *st);
long store_accepted(const struct store *st);
long store_rejected(const struct store *st);
/* All records, or those whose "to" equals to (to may be NULL). A new
 * reference to read and serialize, not to modify. */
json_t *store_messages(const struct store *st, const char *to);
/* Forgets every recorded message (the counters stay). */
void store_clear(struct store *st);

/*
 * Injected faults: the next `count` send requests (to `to`, or to anyone
 * if to is NULL or empty) are refused with Meta error `code` and HTTP
 * status `http`, before any validation.
 */
void store_fault_add(struct store *st, int code, int http, long count, const char *to);
/* Takes one matching fault; false if none is pending. */
bool store_fault_take(struct store *st, const char *to, int *code, int *http);
void store_faults_clear(struct store *st);

/* An inbound message from wa_id to phone_number_id at now_ms opens (or renews) the window. */
void store_window_touch(struct store *st, const char *phone_number_id,
                        const char *wa_id, int64_t now_ms);
/* true if a window is open at now_ms. */
bool store_window_is_open(const struct store *st, const char *phone_number_id,
                          const char *wa_id, int64_t now_ms);
/* Closes every window. */
void store_windows_clear(struct store *st);

#endif
