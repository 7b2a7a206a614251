/* Channel kinds: names, values and notice targets; see channel_kind.h. */
#include "channel_kind.h"

#include <stddef.h>
#include <string.h>

/* One entry per kind. */
static const struct {
	channel_kind kind;
	const char *name;
	const char *post_target;   /* NULL: the kind has no public-channel post */
} kinds[] = {
	{ BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP, "whatsapp", NULL },
	{ BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM, "telegram", "telegram_channel" },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The entry of kind, or -1. */
static int kind_index(channel_kind kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kinds[i].kind == kind)
			return (int)i;
	return -1;
}

int channel_kind_parse(const char *name, channel_kind *kind)
{
	for (size_t i = 0; name != NULL && i < NKINDS; i++) {
		if (strcmp(kinds[i].name, name) == 0) {
			*kind = kinds[i].kind;
			return 0;
		}
	}
	return -1;
}

const char *channel_kind_name(channel_kind kind)
{
	int i = kind_index(kind);

	return i < 0 ? "unknown" : kinds[i].name;
}

bool channel_kind_known(channel_kind kind)
{
	return kind_index(kind) >= 0;
}

const char *channel_kind_post_target(channel_kind kind)
{
	int i = kind_index(kind);

	return i < 0 ? NULL : kinds[i].post_target;
}

bool channel_target_ok(const char *s)
{
	for (size_t i = 0; s != NULL && i < NKINDS; i++)
		if (strcmp(kinds[i].name, s) == 0 ||
		    (kinds[i].post_target != NULL && strcmp(kinds[i].post_target, s) == 0))
			return true;
	return false;
}
