/* Per-partition finished-prefix tracking (ctrack.h). */
#include "ctrack.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct cpart *ctrack_part(struct ctrack *ct, const char *topic, int32_t partition)
{
	struct cpart *cp;

	for (cp = ct->parts; cp != NULL; cp = cp->link)
		if (cp->partition == partition && strcmp(cp->topic, topic) == 0)
			return cp;
	cp = xcalloc(1, sizeof(*cp));
	cp->topic = xstrdup(topic);
	cp->partition = partition;
	cp->next = -1;
	cp->committed = -1;
	cp->link = ct->parts;
	ct->parts = cp;
	return cp;
}

/* Moves the live entries to the front of the arrays, growing them if full. */
static void ctrack_make_room(struct cpart *cp)
{
	if (cp->head > 0) {
		memmove(cp->off, cp->off + cp->head, cp->n * sizeof(*cp->off));
		memmove(cp->done, cp->done + cp->head, cp->n * sizeof(*cp->done));
		cp->head = 0;
	}
	if (cp->n == cp->cap) {
		cp->cap = cp->cap ? cp->cap * 2 : 64;
		cp->off = xrealloc(cp->off, cp->cap * sizeof(*cp->off));
		cp->done = xrealloc(cp->done, cp->cap * sizeof(*cp->done));
	}
}

void ctrack_add(struct cpart *cp, int64_t offset)
{
	size_t i;

	if (cp->head + cp->n == cp->cap)
		ctrack_make_room(cp);
	/* Offsets come in order; after a rewind (rebalance) they may not: keep sorted. */
	i = cp->head + cp->n;
	while (i > cp->head && cp->off[i - 1] > offset) {
		cp->off[i] = cp->off[i - 1];
		cp->done[i] = cp->done[i - 1];
		i--;
	}
	cp->off[i] = offset;
	cp->done[i] = false;
	cp->n++;
}

/* Drops the finished prefix, remembering where it ends. */
static void ctrack_advance(struct cpart *cp)
{
	while (cp->n > 0 && cp->done[cp->head]) {
		cp->next = cp->off[cp->head] + 1;
		cp->head++;
		cp->n--;
	}
	if (cp->n == 0)
		cp->head = 0;
}

void ctrack_done(struct cpart *cp, int64_t offset)
{
	size_t lo = cp->head, hi = cp->head + cp->n;

	while (lo < hi) {   /* first entry >= offset */
		size_t mid = lo + (hi - lo) / 2;
		if (cp->off[mid] < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < cp->head + cp->n && cp->off[lo] == offset; lo++) {
		if (!cp->done[lo]) {
			cp->done[lo] = true;
			break;
		}
	}
	ctrack_advance(cp);
}

size_t ctrack_pending(const struct cpart *cp)
{
	return cp->n;
}

int64_t ctrack_take_commit(struct cpart *cp)
{
	if (cp->next < 0 || cp->next == cp->committed)
		return -1;
	cp->committed = cp->next;
	return cp->next;
}

void ctrack_reset(struct cpart *cp)
{
	cp->head = cp->n = 0;
	cp->next = cp->committed = -1;
	cp->revoking = false;
	cp->live = 0;
	cp->gen++;
}

void ctrack_free(struct ctrack *ct)
{
	struct cpart *cp, *next;

	for (cp = ct->parts; cp != NULL; cp = next) {
		next = cp->link;
		free(cp->topic);
		free(cp->off);
		free(cp->done);
		free(cp);
	}
	ct->parts = NULL;
}
