/* Recent writes by notice id in a bounded hash map (common/hmap.h). */
#include "api/editor_recent.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "crypto.h"
#include "hmap.h"
#include "xmalloc.h"

struct recent {
	char    id[UUID_STR_LEN + 1];
	int     events;
	int64_t noted_ms;
};

static struct hmap table;   /* id -> struct recent */

/* Forgets r. */
static void forget(struct recent *r)
{
	hmap_del(&table, r->id);
	free(r);
}

/* Forgets the write noted longest ago. */
static void forget_oldest(void)
{
	const struct hmap_ent *e;
	struct recent *oldest = NULL;
	size_t pos = 0;

	while ((e = hmap_next(&table, &pos)) != NULL) {
		struct recent *r = e->val;
		if (oldest == NULL || r->noted_ms < oldest->noted_ms)
			oldest = r;
	}
	if (oldest != NULL)
		forget(oldest);
}

void editor_recent_note(const char *id, int events)
{
	struct recent *r;

	if (strlen(id) > UUID_STR_LEN)
		return;   /* not a notice id: nothing will wait for it */
	r = hmap_get(&table, id);
	if (r == NULL) {
		if (hmap_size(&table) >= EDITOR_RECENT_KEEP)
			forget_oldest();
		r = xcalloc(1, sizeof(*r));
		snprintf(r->id, sizeof(r->id), "%s", id);
		hmap_put(&table, r->id, r);
	}
	r->events = events;
	r->noted_ms = clock_mono_ms();
}

enum editor_recent editor_recent_check(const char *id, bool exists, int events)
{
	struct recent *r = hmap_get(&table, id);
	int64_t age;

	if (r == NULL)
		return RECENT_APPLIED;
	age = clock_mono_ms() - r->noted_ms;
	if ((exists && events > r->events) || age >= EDITOR_RECENT_LATE_MS) {
		forget(r);   /* applied (or given up on): stop waiting */
		return RECENT_APPLIED;
	}
	return age < EDITOR_RECENT_MS ? RECENT_WAITING : RECENT_LATE;
}
