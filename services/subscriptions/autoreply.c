/* Automatic-reply throttle: an open-addressed table of hashes and times. */
#include "autoreply.h"

#include <string.h>

struct slot {
	uint64_t key;      /* 0 = empty */
	int64_t last_ms;
};

static struct slot slots[AUTOREPLY_SLOTS];

/* FNV-1a over channel id and address. */
static uint64_t key_of(long long channel_id, const char *address)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p = (const unsigned char *)&channel_id;

	for (size_t i = 0; i < sizeof(channel_id); i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	for (p = (const unsigned char *)address; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ? h : 1;
}

bool autoreply_allow(long long channel_id, const char *address, int64_t now_ms,
                     long every_s)
{
	uint64_t key = key_of(channel_id, address);
	int64_t every_ms = (int64_t)every_s * 1000;
	struct slot *free_slot = NULL, *oldest = NULL;

	/* Probe a short run; reuse expired slots; evict the oldest if full. */
	for (unsigned i = 0; i < 8; i++) {
		struct slot *s = &slots[(key + i) & (AUTOREPLY_SLOTS - 1)];
		if (s->key == key) {
			if (now_ms - s->last_ms < every_ms)
				return false;
			s->last_ms = now_ms;
			return true;
		}
		if (free_slot == NULL && (s->key == 0 || now_ms - s->last_ms >= every_ms))
			free_slot = s;
		if (oldest == NULL || s->last_ms < oldest->last_ms)
			oldest = s;
	}
	if (free_slot == NULL)
		free_slot = oldest;
	free_slot->key = key;
	free_slot->last_ms = now_ms;
	return true;
}
