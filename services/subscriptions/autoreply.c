/* Automatic-reply throttle: hashes of citizens and when each may be answered again. */
#include "autoreply.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "xmalloc.h"

/* One citizen answered lately. */
struct ar_entry {
	char    key[17];     /* hex of the hash of channel and address */
	int64_t until_ms;    /* no other reply before */
};

struct autoreply {
	struct hmap map;     /* key -> struct ar_entry */
};

struct autoreply *autoreply_new(void)
{
	return xcalloc(1, sizeof(struct autoreply));
}

/* Keeps the entries still running at now_ms; frees the others. */
static void autoreply_sweep(struct autoreply *ar, int64_t now_ms)
{
	struct hmap live = { 0 };
	const struct hmap_ent *e;
	size_t pos = 0;

	while ((e = hmap_next(&ar->map, &pos)) != NULL) {
		struct ar_entry *ent = e->val;
		if (ent->until_ms > now_ms)
			hmap_put(&live, ent->key, ent);
		else
			free(ent);
	}
	hmap_free(&ar->map);
	ar->map = live;
}

void autoreply_free(struct autoreply *ar)
{
	if (ar == NULL)
		return;
	autoreply_sweep(ar, INT64_MAX);
	free(ar);
}

bool autoreply_allow(struct autoreply *ar, long long channel_id, const char *address,
                     int64_t now_ms, long every_s)
{
	char key[17], *text = xasprintf("%lld/%s", channel_id, address);
	struct ar_entry *ent;

	snprintf(key, sizeof(key), "%016" PRIx64, hmap_hash(text));
	free(text);
	ent = hmap_get(&ar->map, key);
	if (ent != NULL && now_ms < ent->until_ms)
		return false;
	if (ent == NULL) {
		if (hmap_size(&ar->map) >= AUTOREPLY_MAX) {
			autoreply_sweep(ar, now_ms);
			/* Still mostly running: forget them all rather than sweep again soon. */
			if (hmap_size(&ar->map) >= AUTOREPLY_MAX / 4 * 3)
				autoreply_sweep(ar, INT64_MAX);
		}
		ent = xmalloc(sizeof(*ent));
		memcpy(ent->key, key, sizeof(key));
		hmap_put(&ar->map, ent->key, ent);
	}
	ent->until_ms = now_ms + (int64_t)every_s * 1000;
	return true;
}
