/* The ingest service's Prometheus metrics (registered by main). */
#ifndef BND_INGEST_METRICS_H
#define BND_INGEST_METRICS_H

#include "metrics.h"

extern struct metric im_requests;        /* every routed request */
extern struct metric im_webhooks;        /* WhatsApp POSTs answered 200 */
extern struct metric im_verifications;   /* handshakes answered 200 */
extern struct metric im_notices;         /* notice actions answered 202 */
extern struct metric im_rejected;        /* answered 4xx */
extern struct metric im_unavailable;     /* answered 503 */
extern struct metric im_bad_signature;   /* webhook signature missing/wrong */
extern struct metric im_unauthorized;    /* editor API key missing/unknown */
extern struct metric im_produced;        /* events acknowledged by Kafka */
extern struct metric im_produce_failed;  /* events Kafka refused or lost */
extern struct metric im_ack_timeouts;    /* requests answered 503 on timer */
extern struct metric im_skipped;         /* webhook items dropped (bad sender...) */
extern struct metric im_inflight;        /* requests waiting for acks */
extern struct metric im_dir_refreshes;   /* directory snapshots loaded */
extern struct metric im_dir_errors;      /* directory loads that failed */
extern struct metric im_dir_channels;    /* channels in the snapshot */
extern struct metric im_dir_keys;        /* API keys in the snapshot */

/* Registers every metric above. Call once at start-up. */
void ingest_metrics_register(void);

#endif
