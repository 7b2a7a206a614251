/*
 * dispatcher: consumes delivery jobs, sends them to the WhatsApp Cloud
 * API or the Telegram Bot API, records each outcome in the deliveries
 * ledger and on delivery.outcomes, then commits the jobs' offsets.
 */
#ifndef DSP_DISPATCHER_H
#define DSP_DISPATCHER_H

#include "config.h"

/* Settings (environment variables; the table is in main.c). */
struct dsp_cfg {
	struct common_cfg c;
	char *group;
	char *wa_api_base;
	char *tg_api_base;
	long  max_inflight;
	long  batch_size;
	long  max_attempts;
	long  http_timeout_ms;
	char *ca_file;              /* CA certificates for provider endpoints, or "" */
	long  max_jobs;             /* jobs held in memory at most */
	long  sender_queue;         /* jobs a sender keeps in memory at most */
	long  sender_horizon_ms;    /* ... or what it can send in this long, if less */
	long  stop_poll_ms;         /* paused and cancelled notices looked for this often */
	long  sender_inflight;      /* requests in flight per sender */
	long  rate_limit;           /* 0: no rate limits at all (benchmarks only) */
	long  tg_rate;              /* messages/s per Telegram bot */
	long  wa_pair_interval_ms;  /* WhatsApp pair rate: one message per interval ... */
	long  wa_pair_burst;        /* ... with this burst */
	long  tg_chat_burst;        /* Telegram: 1 msg/s per chat with this burst */
	long  retry_base_ms;
	long  retry_cap_ms;
	long  max_age_ms;           /* a job is dead once this old (first attempt) */
	long  halt_check_ms;        /* a halted sender's token re-checked this often */
	long  breaker_failures;     /* consecutive endpoint failures that open the breaker */
	long  breaker_cooldown_ms;
	long  flush_ms;             /* finished jobs flushed at least this often */
	char *instance_name;        /* "" = <host>:<BND_HTTP_PORT> */
	long  claim_lease_ms;       /* claims live this long after our last heartbeat */
};

#endif
