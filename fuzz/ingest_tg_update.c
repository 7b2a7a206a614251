/* Fuzz target: the Telegram update parser (tg_update_parse) and packing. */
#include <stdint.h>
#include <stdlib.h>

#include "webhooks/tg_update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct tg_channel ch = { 12, "demo", "7000000001" };
	struct tg_update upd;
	char err[256];
	size_t len;

	if (tg_update_parse(data, size, &ch, &upd, err, sizeof(err)) != TG_OK)
		return 0;
	if (upd.has_event)
		free(tg_update_pack(&upd, &len));
	tg_update_free(&upd);
	return 0;
}
