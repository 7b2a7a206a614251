/*
 * WhatsApp Cloud API webhook POSTs: parse and normalize into events.
 * Pure: takes the raw body and a channel-lookup callback, returns the
 * events to produce (or an error); no I/O, no logging. The caller checks
 * the signature with the secrets of the channels found before producing.
 */
#ifndef BND_WA_WEBHOOK_H
#define BND_WA_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "webhooks/wa_event.h"

/* Fills *out (all but sender_account) for a phone_number_id; false if no
 * WhatsApp channel has it. */
typedef bool (*wa_lookup_fn)(void *arg, const char *phone_number_id,
                             struct wa_channel *out);

enum wa_err {
	WA_OK = 0,
	WA_ERR_JSON,             /* not JSON: 400 */
	WA_ERR_SHAPE,            /* JSON, but not a webhook: 400 */
};

#define WA_UNKNOWN_IDS_MAX 4    /* distinct unknown phone_number_ids kept per POST */
#define WA_UNKNOWN_ID_LEN 68    /* one of them, cut (they are ours, not citizens') */

/* What one POST holds. */
struct wa_webhook {
	struct wa_channel *channels;  /* distinct channels named, in order */
	size_t nchannels;
	struct wa_event **events;     /* in document order */
	size_t nevents;
	size_t skipped_sender;        /* messages whose "from" is not a number */
	size_t skipped_invalid;       /* messages/statuses without id etc. */
	size_t ignored_changes;       /* changes whose field is not "messages" */
	size_t unknown_changes;       /* changes naming a phone_number_id of no channel */
	char unknown_ids[WA_UNKNOWN_IDS_MAX][WA_UNKNOWN_ID_LEN];   /* the first distinct ones */
	size_t nunknown_ids;
};

/*
 * Parses body (len bytes, need not be NUL-terminated). On WA_OK *out
 * holds the channels and events (free with wa_webhook_free); on error err
 * says why and *out is empty. Unusable single items are skipped and
 * counted, not errors: one odd message must not make Meta retry a whole
 * batch for a week. So are changes naming a phone_number_id that is no
 * channel of ours (a number of the same app not set up here): nothing is
 * taken from them, and Meta, answered 200, stops sending them again.
 * A body holding a NUL byte is not JSON (WA_ERR_JSON), whatever precedes it.
 */
enum wa_err wa_webhook_parse(const void *body, size_t len, wa_lookup_fn lookup,
                             void *arg, struct wa_webhook *out,
                             char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Frees what wa_webhook_parse filled (and wipes the secrets). */
void wa_webhook_free(struct wa_webhook *wh);

#endif
