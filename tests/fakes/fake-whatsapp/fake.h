/*
 * fake-whatsapp: a stand-in for the WhatsApp Cloud API (Graph API send
 * endpoint and signed webhooks) for tests and benchmarks. One process,
 * one libevent loop, all state in memory.
 */
#ifndef FAKE_WA_FAKE_H
#define FAKE_WA_FAKE_H

#include <stdbool.h>

#include "fk_server.h"
#include "knobs.h"

struct faults;
struct limits;
struct statuses;

/* Settings (FAKE_WA_* environment variables, see main.c). */
struct fake_cfg {
	char *log_level;
	char *addr;
	long  port;
	char *access_token;
	char *app_secret;
	char *webhook_url;
	char *templates;
	long  latency_ms;
	long  jitter_ms;
	long  rate;
	long  burst;
	long  pair_period_ms;
	long  pair_burst;
	char *invalid_tokens;
	char *waba_id;
	char *display_number;
	bool  status_webhooks;
	long  status_delay_ms;
};

/* The process-wide context every handler gets. */
struct fake {
	struct fake_cfg cfg;
	struct fk_server srv;        /* the loop and the listener */
	struct store *store;
	struct api_templates *tmpl;
	struct knobs knobs;          /* behaviour, changed at run time */
	struct limits *limits;       /* throughput buckets, per-sender state */
	struct faults *faults;       /* injected faults */
	struct statuses *statuses;   /* delivery-status webhooks waiting to be sent */
};

#endif
