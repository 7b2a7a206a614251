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
};

#endif
