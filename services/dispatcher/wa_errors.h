/*
 * What a WhatsApp Cloud API answer means for a job, from the table in
 * PROVIDERS.md keyed by Meta's error code (never by message text), then
 * by HTTP status, then by transport error. The verdict type is the
 * dispatcher's for every provider: tg_errors.h fills it for Telegram.
 */
#ifndef DSP_WA_ERRORS_H
#define DSP_WA_ERRORS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

enum wa_class {
	WA_SENT,        /* accepted by Meta: we have a wamid */
	WA_TRANSIENT,   /* try again later, with backoff */
	WA_PERMANENT,   /* this job can never succeed as it is: no retry */
	WA_HALT,        /* the sender itself is unusable (token, account, billing) */
};

#define WA_WAMID_MAX  128
#define WA_DETAIL_MAX 256

struct wa_verdict {
	enum wa_class cls;
	int  code;                     /* Meta error code, 0 if none */
	bool auth;                     /* token rejected (190 / HTTP 401): refresh it once */
	bool revoke;                   /* the recipient cannot or will not receive from us:
	                                  the outcome asks subscriptions to revoke consent */
	long min_delay_ms;             /* transient: wait at least this long (pair rate, upgrade) */
	char wamid[WA_WAMID_MAX];      /* WA_SENT: the provider's message id */
	char detail[WA_DETAIL_MAX];    /* for the ledger and logs; never holds a phone number */
};

/*
 * Classifies one exchange. transport: 0 or a CURLcode (then http_status
 * and body are ignored); transport_msg describes it (may be NULL).
 * body: the response body (len bytes, may be NULL).
 */
void wa_classify(int transport, const char *transport_msg, long http_status,
                 const char *body, size_t len, struct wa_verdict *v);
const char *wa_class_name(enum wa_class cls);
/* true if Meta's error code means the user opted out (131050). */
bool wa_revokes(int code);

/* A provider's JSON answer (len bytes), invalid UTF-8 repaired to U+FFFD
 * first; NULL if it is not JSON. Caller decrefs. */
json_t *wa_body_load(const char *body, size_t len);

#endif
