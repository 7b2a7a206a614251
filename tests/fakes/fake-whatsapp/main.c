/*
 * fake-whatsapp: a WhatsApp Cloud API stand-in for tests and benchmarks.
 * See router.h for the endpoints and docs/providers.md for the behaviour
 * copied ("WhatsApp: ..." and "What the fakes copy").
 */
#include <stdio.h>
#include <stdlib.h>

#include "api.h"
#include "clock.h"
#include "config.h"
#include "fake.h"
#include "faults.h"
#include "limits.h"
#include "log.h"
#include "router.h"
#include "statuses.h"
#include "store.h"

static struct fake fk;

static const struct cfg_item fake_items[] = {
	{ "FAKE_WA_LOG_LEVEL", CFG_STR, "info", 0, 0, "debug, info, warn or error", &fk.cfg.log_level },
	{ "FAKE_WA_ADDR", CFG_STR, "127.0.0.1", 0, 0, "listen address", &fk.cfg.addr },
	{ "FAKE_WA_PORT", CFG_INT, NULL, 1, 65535, "listen port", &fk.cfg.port },
	{ "FAKE_WA_ACCESS_TOKEN", CFG_STR, "fake-wa-token", 0, 0,
	  "bearer token accepted for every phone-number id", &fk.cfg.access_token },
	{ "FAKE_WA_APP_SECRET", CFG_STR, "fake-wa-app-secret", 0, 0,
	  "app secret that signs the webhooks sent (X-Hub-Signature-256)", &fk.cfg.app_secret },
	{ "FAKE_WA_WEBHOOK_URL", CFG_STR, "", 0, 0,
	  "http:// URL inbound webhooks are POSTed to (ingest); empty = don't send", &fk.cfg.webhook_url },
	{ "FAKE_WA_TEMPLATES", CFG_STR, "avviso_comune:it:2", 0, 0,
	  "approved templates, name:lang:body-param-count, comma separated", &fk.cfg.templates },
	{ "FAKE_WA_LATENCY_MS", CFG_INT, "0", 0, 60000,
	  "delay before answering a send request", &fk.cfg.latency_ms },
	{ "FAKE_WA_JITTER_MS", CFG_INT, "0", 0, 60000,
	  "plus a random delay of 0 to this many ms", &fk.cfg.jitter_ms },
	{ "FAKE_WA_RATE", CFG_INT, "0", 0, 1000000,
	  "messages/second accepted per phone-number id, above it error 130429 (0: no limit)",
	  &fk.cfg.rate },
	{ "FAKE_WA_BURST", CFG_INT, "0", 0, 1000000,
	  "messages a phone-number id may send at once (0: rate/4, at least 1)", &fk.cfg.burst },
	{ "FAKE_WA_PAIR_PERIOD_MS", CFG_INT, "0", 0, 600000,
	  "one message per this many ms to the same recipient, above it 131056 (0: no limit)",
	  &fk.cfg.pair_period_ms },
	{ "FAKE_WA_PAIR_BURST", CFG_INT, "3", 1, 1000,
	  "messages to one recipient that may come at once", &fk.cfg.pair_burst },
	{ "FAKE_WA_INVALID_TOKENS", CFG_STR, "", 0, 0,
	  "phone-number ids whose token is refused (401, code 190), comma separated",
	  &fk.cfg.invalid_tokens },
	{ "FAKE_WA_WABA_ID", CFG_STR, "200000000000001", 0, 0,
	  "WhatsApp Business Account id put in webhooks (entry[].id)", &fk.cfg.waba_id },
	{ "FAKE_WA_DISPLAY_NUMBER", CFG_STR, "15550000001", 0, 0,
	  "display_phone_number put in webhook metadata", &fk.cfg.display_number },
	{ "FAKE_WA_STATUS_WEBHOOKS", CFG_BOOL, "0", 0, 0,
	  "send a \"sent\" status webhook to FAKE_WA_WEBHOOK_URL for every accepted message, "
	  "with its biz_opaque_callback_data (knob status_webhooks)", &fk.cfg.status_webhooks },
	{ "FAKE_WA_STATUS_DELAY_MS", CFG_INT, "100", 0, 60000,
	  "how long after acceptance the status webhook is sent (knob status_delay_ms)",
	  &fk.cfg.status_delay_ms },
	CFG_END,
};

int main(int argc, char **argv)
{
	char err[256];
	int rc = 1;

	cfg_main(argc, argv, "fake-whatsapp", fake_items);
	log_init("fake-whatsapp", fk.cfg.log_level);
	fk.tmpl = api_templates_parse(fk.cfg.templates, err, sizeof(err));
	if (fk.tmpl == NULL) {
		log_error("fake.config", "FAKE_WA_TEMPLATES: %s", err);
		return 2;
	}
	fk.store = store_new();
	fk.limits = limits_new();
	fk.faults = faults_new();
	fk.knobs = (struct knobs){ .rate = (double)fk.cfg.rate, .burst = (double)fk.cfg.burst,
	                           .pair_period_ms = fk.cfg.pair_period_ms,
	                           .pair_burst = (double)fk.cfg.pair_burst,
	                           .latency_ms = fk.cfg.latency_ms, .jitter_ms = fk.cfg.jitter_ms,
	                           .status_webhooks = fk.cfg.status_webhooks,
	                           .status_delay_ms = fk.cfg.status_delay_ms };
	knobs_set_invalid_csv(fk.limits, fk.cfg.invalid_tokens);
	srandom((unsigned)clock_mono_ms());
	if (fk_server_open(&fk.srv) != 0)
		goto done;
	fk.statuses = statuses_new(&fk);
	if (fk.statuses == NULL) {
		log_error("fake.start_failed", "cannot set up the status webhook timer");
		goto done;
	}
	if (fk_server_listen(&fk.srv, fk.cfg.addr, fk.cfg.port, 0, router_handle, &fk) != 0)
		goto done;
	log_info("fake.started", "listening on %s:%ld, %zu template(s), latency %ld ms, "
	         "rate %ld/s per sender, status webhooks %s", fk.cfg.addr, fk.cfg.port, fk.tmpl->n,
	         fk.cfg.latency_ms, fk.cfg.rate,
	         fk.cfg.status_webhooks && fk.cfg.webhook_url[0] != '\0' ? "on" : "off");
	fk_server_run(&fk.srv);
	log_info("fake.stopped", "accepted %ld, rejected %ld, %ld status(es) unsent",
	         store_accepted(fk.store), store_rejected(fk.store), statuses_pending(fk.statuses));
	rc = 0;
done:
	statuses_free(fk.statuses);   /* before the loop its timer is on */
	fk_server_close(&fk.srv);
	store_free(fk.store);
	limits_free(fk.limits);
	faults_free(fk.faults);
	api_templates_free(fk.tmpl);
	return rc;
}
