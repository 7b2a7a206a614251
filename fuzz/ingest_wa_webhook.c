/* Fuzz target: the WhatsApp webhook walk (wa_webhook_parse, wa_event.c). */
#include <stdint.h>
#include <string.h>

#include "webhooks/wa_webhook.h"

/* Every phone_number_id but one is a known channel, as ingest's directory would say. */
static bool fuzz_lookup(void *arg, const char *pnid, struct wa_channel *out)
{
	(void)arg;
	if (strcmp(pnid, "999") == 0)
		return false;
	out->id = 7;
	strcpy(out->comune_id, "demo");
	memcpy(out->app_secret, "secret", 6);
	out->app_secret_len = 6;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wa_webhook wh;
	char err[256];

	if (wa_webhook_parse(data, size, fuzz_lookup, NULL, &wh, err, sizeof(err)) != WA_OK)
		return 0;
	for (size_t i = 0; i < wh.nevents; i++) {
		size_t len;
		void *buf = wa_event_pack(wh.events[i], &len);
		free(buf);
	}
	wa_webhook_free(&wh);
	return 0;
}
