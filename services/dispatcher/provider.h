/*
 * Providers: what the dispatcher knows of each messaging API, behind one
 * interface. A provider builds a job's request, says where it goes and
 * how the token travels, classifies the answer into the one verdict type
 * below (with the throttling signals its answers carry), and gives the
 * limits its senders keep: default rate, per-recipient pacing, circuit
 * breaker. One file each (prov_whatsapp.c, prov_telegram.c); the table
 * in provider.c is looked up by channel kind, and a kind it lacks is
 * refused (dead-lettered as unsupported_kind), never taken for another.
 * Adding a provider: docs/architecture.md, "Adding a provider".
 */
#ifndef DSP_PROVIDER_H
#define DSP_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "events.h"

struct dsp_cfg;
struct jsonw;

/* What an answer means for its job. */
enum verdict_class {
	VERDICT_SENT,        /* accepted: msg_id holds the provider's id if it gave one */
	VERDICT_TRANSIENT,   /* may work later: the retry policy decides (retry.h) */
	VERDICT_PERMANENT,   /* can never work as it is: failed, not retried */
	VERDICT_HALT,        /* the sender is unusable (token, account, billing): it halts */
};

/* Who waits, besides the job itself, after a transient answer. */
enum verdict_wait {
	WAIT_JOB,         /* the job only: its retry waits at least min_delay_ms */
	WAIT_RECIPIENT,   /* every job to its recipient waits min_delay_ms */
	WAIT_SENDER,      /* the whole sender waits min_delay_ms, exactly */
};

#define VERDICT_ID_MAX     128
#define VERDICT_DETAIL_MAX 256

struct verdict {
	enum verdict_class cls;
	int               code;          /* the provider's error code, 0 if none */
	bool              auth;          /* the token was rejected: re-read it once */
	bool              revoke;        /* the recipient cannot or will not receive from us:
	                                    the outcome asks for the consent to be revoked */
	bool              throttled;     /* the sender goes too fast: its rate halves */
	enum verdict_wait wait;
	long              min_delay_ms;  /* transient: not again before this long */
	char              msg_id[VERDICT_ID_MAX];      /* sent: the provider's message id */
	char              detail[VERDICT_DETAIL_MAX];  /* ledger and logs; never a phone number */
};

/* A provider's settings, from the configuration (once, at start). */
struct prov_params {
	const char *api_base;
	double      rate;                 /* messages/s of a sender whose channel sets none */
	long        pair_interval_ms;     /* per recipient: one message per interval ... */
	double      pair_burst;           /* ... after a burst of this many */
	unsigned    breaker_failures;     /* consecutive endpoint failures that open its breaker */
	long        breaker_cooldown_ms;
};

struct provider {
	const char                *name;   /* channels.kind; logs; its breaker's name */
	Banditore__V1__ChannelKind kind;
	bool token_in_url;      /* the token is part of the URL (never logged), not a bearer */
	bool messaging_limit;   /* its template jobs count against a portfolio's tier (reach.h) */
	int  unreachable_code;  /* failed twice with this for one subscriber: revoke (0: none) */
	void (*params)(const struct dsp_cfg *cfg, struct prov_params *out);
	/* The request JSON of a job (caller frees), or NULL with err set if the
	 * job cannot be sent as it is (address, content, invalid UTF-8). */
	char *(*request)(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen);
	/* The URL of a sender account's sends (caller frees; may hold the token). */
	char *(*url)(const char *api_base, const char *account, const char *token);
	/* Classifies an HTTP answer into v (zeroed): root is its JSON (NULL if it
	 * is none); address the job's, for an id the answer lacks. */
	void (*answer)(const json_t *root, long http_status, const char *address,
	               struct verdict *v);
	/* true if a failure recorded as (code, detail) asked for the consent to be
	 * revoked: a replay from the ledger says it again. detail may be NULL. */
	bool (*revokes)(int code, const char *detail);
	/* The common answer (accepted, its id) read without parsing the JSON in
	 * full: true if v (zeroed) is filled; false to have answer() judge it.
	 * NULL: answer() always. */
	bool (*answer_fast)(const char *body, size_t len, long http_status, struct verdict *v);
};

extern const struct provider prov_whatsapp;
extern const struct provider prov_telegram;

/* The providers: prov_nth(0 .. prov_count() - 1). */
size_t prov_count(void);
const struct provider *prov_nth(size_t i);
/* A provider's place in the table (for state kept per provider). */
size_t prov_slot(const struct provider *prov);
/* The provider of a channel kind, or NULL if none sends it. */
const struct provider *prov_of_kind(Banditore__V1__ChannelKind kind);
/* The provider named (channels.kind), or NULL. */
const struct provider *prov_by_name(const char *name);

/*
 * Classifies one exchange with prov: transport 0 or a CURLcode (then
 * http_status and body are ignored, the verdict is transient),
 * transport_msg describing it (may be NULL); body: len bytes, may be NULL,
 * invalid UTF-8 repaired (a provider's words are never refused).
 */
void prov_classify(const struct provider *prov, int transport, const char *transport_msg,
                   long http_status, const char *body, size_t len, const char *address,
                   struct verdict *v);

/* Helpers of the provider files. */
/* The request JSON (caller frees), or NULL with err set if it is not valid UTF-8. */
char *prov_json_end(struct jsonw *w, char *err, size_t errlen);
/* Accepted without a readable id: sent all the same (a resend could duplicate). */
void prov_sent_without_id(struct verdict *v, long http_status);
/* api_base (without its trailing '/') followed by pre, part and post (caller frees). */
char *prov_url(const char *api_base, const char *pre, const char *part, const char *post);

#endif
