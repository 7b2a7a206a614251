/* Commands per channel kind; see commands.h. */
#include "commands.h"

#include <stddef.h>

static const struct commands table[] = {
	{ BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP, "keyword", true, "ATTIVA", "DISATTIVA",
	  "TEMI", "AIUTO" },
	{ BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM, "telegram", false, "/start", "/stop",
	  "/temi", "/aiuto" },
};

const struct commands *commands_of(channel_kind kind)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].kind == kind)
			return &table[i];
	return NULL;
}
