/* Token buckets and a table of them; see fk_bucket.h. */
#include "fk_bucket.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* A bucket of the table, with its name. */
struct fk_named {
	struct fk_bucket b;
	char             name[];
};

double fk_bucket_refill(struct fk_bucket *b, double rate, double burst, int64_t now_ms)
{
	if (b->last_ms == 0) {
		b->tokens = burst;
	} else if (now_ms > b->last_ms) {
		b->tokens += rate * (double)(now_ms - b->last_ms) / 1000.0;
		if (b->tokens > burst)
			b->tokens = burst;
	}
	if (now_ms > b->last_ms)
		b->last_ms = now_ms;
	return b->tokens;
}

bool fk_bucket_take(struct fk_bucket *b, double rate, double burst, int64_t now_ms)
{
	if (rate <= 0)
		return true;
	if (fk_bucket_refill(b, rate, burst < 1 ? 1 : burst, now_ms) < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}

double fk_bucket_default_burst(double rate)
{
	return rate / 4.0 > 1.0 ? rate / 4.0 : 1.0;
}

struct fk_bucket *fk_buckets_get(struct fk_buckets *bs, const char *name)
{
	struct fk_named *nb = hmap_get(&bs->map, name);

	if (nb == NULL) {
		size_t len = strlen(name) + 1;
		nb = xcalloc(1, sizeof(*nb) + len);
		memcpy(nb->name, name, len);
		hmap_put(&bs->map, nb->name, nb);
	}
	return &nb->b;
}

void fk_buckets_clear(struct fk_buckets *bs)
{
	const struct hmap_ent *e;
	size_t pos = 0;

	while ((e = hmap_next(&bs->map, &pos)) != NULL)
		free(e->val);
	hmap_free(&bs->map);
}
