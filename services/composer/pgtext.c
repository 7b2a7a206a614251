/* Checks of event values before they meet PostgreSQL; see pgtext.h. */
#include "pgtext.h"

#include <string.h>

#include "channel_kind.h"

bool pgtext_channel_ok(const char *s)
{
	return channel_target_ok(s);
}

const char *pgtext_category(const char *s)
{
	static const char *const known[] = { "outage", "roads", "weather", "civil_protection",
		                             "waste", "deadline", "event", "other" };

	for (size_t i = 0; s != NULL && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return "other";
}
