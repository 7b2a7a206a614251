/*
 * Per-recipient limits: WhatsApp's pair rate (about one message every
 * 6 s to the same user, short bursts tolerated) and Telegram's one
 * message per second per chat. One small token bucket per recipient,
 * kept in a common/hmap keyed by "<sender>\xff<recipient>"; entries whose
 * bucket has refilled are dropped when the table reaches its sweep size
 * (which doubles while the live entries still fill it), so the table
 * holds only recipients messaged in the last few intervals.
 */
#ifndef DSP_PAIRLIM_H
#define DSP_PAIRLIM_H

#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

struct pairlim {
	long        interval_ms;  /* one token per interval */
	double      burst;
	struct hmap map;          /* key -> struct pair_ent (pairlim.c) */
	size_t      sweep_at;     /* entries at which refilled ones are dropped */
};

void pl_init(struct pairlim *pl, long interval_ms, double burst);
void pl_free(struct pairlim *pl);
/* Takes a token for (sender, recipient): 0, or ms to wait (nothing taken). */
int64_t pl_take(struct pairlim *pl, const char *sender, const char *recipient, int64_t now_ms);
/* Makes the recipient wait at least ms (the provider said 131056). */
void pl_penalize(struct pairlim *pl, const char *sender, const char *recipient, int64_t now_ms,
                 int64_t ms);
/* Recipients tracked now. */
size_t pl_size(const struct pairlim *pl);

#endif
