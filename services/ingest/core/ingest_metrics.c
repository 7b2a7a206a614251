/* The ingest service's metrics, defined once. */
#include "core/ingest_metrics.h"

struct metric im_requests = METRIC_COUNTER("bnd_ingest_requests_total",
    "HTTP requests routed by ingest (health endpoints excluded)");
struct metric im_webhooks = METRIC_COUNTER("bnd_ingest_webhooks_total",
    "WhatsApp webhook POSTs accepted (answered 200)");
struct metric im_verifications = METRIC_COUNTER("bnd_ingest_verifications_total",
    "WhatsApp verification handshakes answered 200");
struct metric im_notices = METRIC_COUNTER("bnd_ingest_notice_actions_total",
    "editor notice actions accepted (answered 202)");
struct metric im_rejected = METRIC_COUNTER("bnd_ingest_rejected_total",
    "requests answered with a 4xx status");
struct metric im_unavailable = METRIC_COUNTER("bnd_ingest_unavailable_total",
    "requests answered 503 (Kafka failure, ack timeout, draining, no directory)");
struct metric im_bad_signature = METRIC_COUNTER("bnd_ingest_bad_signature_total",
    "webhook POSTs with a missing, ill-formed or wrong X-Hub-Signature-256");
struct metric im_unauthorized = METRIC_COUNTER("bnd_ingest_unauthorized_total",
    "editor API requests with a missing or unknown API key");
struct metric im_produced = METRIC_COUNTER("bnd_ingest_events_produced_total",
    "events acknowledged by Kafka");
struct metric im_produce_failed = METRIC_COUNTER("bnd_ingest_events_failed_total",
    "events Kafka refused or did not acknowledge in time");
struct metric im_ack_timeouts = METRIC_COUNTER("bnd_ingest_ack_timeouts_total",
    "requests answered 503 because Kafka acks took longer than BND_KAFKA_ACK_TIMEOUT_MS");
struct metric im_skipped = METRIC_COUNTER("bnd_ingest_skipped_items_total",
    "webhook messages/statuses dropped as unusable (e.g. sender not a phone number)");
struct metric im_inflight = METRIC_GAUGE("bnd_ingest_inflight_requests",
    "requests waiting for Kafka acknowledgements");
struct metric im_dir_refreshes = METRIC_COUNTER("bnd_ingest_directory_refreshes_total",
    "directory snapshots loaded from PostgreSQL");
struct metric im_dir_errors = METRIC_COUNTER("bnd_ingest_directory_errors_total",
    "directory loads that failed (the previous snapshot stays in use)");
struct metric im_dir_channels = METRIC_GAUGE("bnd_ingest_directory_channels",
    "channels in the current directory snapshot");
struct metric im_dir_keys = METRIC_GAUGE("bnd_ingest_directory_api_keys",
    "active API keys in the current directory snapshot");

void ingest_metrics_register(void)
{
	struct metric *all[] = {
		&im_requests, &im_webhooks, &im_verifications, &im_notices,
		&im_rejected, &im_unavailable, &im_bad_signature, &im_unauthorized,
		&im_produced, &im_produce_failed, &im_ack_timeouts, &im_skipped,
		&im_inflight, &im_dir_refreshes, &im_dir_errors, &im_dir_channels,
		&im_dir_keys,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		metrics_register(all[i]);
}
