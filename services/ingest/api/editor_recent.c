/* A small open-addressing table of recent writes, by notice id. */
#include "api/editor_recent.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "crypto.h"

#define SLOTS 1024   /* power of two; older entries are overwritten */

struct recent {
	char    id[UUID_STR_LEN + 1];
	int     events;
	int64_t noted_ms;
};

static struct recent table[SLOTS];

/* FNV-1a of the id. */
static unsigned slot_of(const char *id)
{
	uint32_t h = 2166136261u;

	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return h & (SLOTS - 1);
}

void editor_recent_note(const char *id, int events)
{
	struct recent *r = &table[slot_of(id)];

	snprintf(r->id, sizeof(r->id), "%s", id);
	r->events = events;
	r->noted_ms = clock_mono_ms();
}

enum editor_recent editor_recent_check(const char *id, bool exists, int events)
{
	struct recent *r = &table[slot_of(id)];
	int64_t age;

	if (strcmp(r->id, id) != 0)
		return RECENT_APPLIED;
	age = clock_mono_ms() - r->noted_ms;
	if ((exists && events > r->events) || age >= EDITOR_RECENT_LATE_MS) {
		r->id[0] = '\0';   /* applied (or given up on): stop waiting */
		return RECENT_APPLIED;
	}
	return age < EDITOR_RECENT_MS ? RECENT_WAITING : RECENT_LATE;
}
