/*
 * Token buckets, as providers enforce their rates: `rate` tokens a
 * second, at most `burst` saved, a request takes one. And a table of
 * buckets by name (a recipient, a chat), made on first use.
 */
#ifndef FK_BUCKET_H
#define FK_BUCKET_H

#include <stdbool.h>
#include <stdint.h>

#include "hmap.h"

/* A token bucket; zero-initialized = full at its first use. */
struct fk_bucket {
	double  tokens;
	int64_t last_ms;    /* 0: never used */
};

/* Refills b up to now_ms; returns the tokens it then holds. */
double fk_bucket_refill(struct fk_bucket *b, double rate, double burst, int64_t now_ms);
/*
 * Takes one token at now_ms if there is one. rate <= 0 means unlimited
 * (always true). burst < 1 counts as 1. A refused take costs nothing.
 */
bool fk_bucket_take(struct fk_bucket *b, double rate, double burst, int64_t now_ms);

/*
 * The burst used when none is configured: 250 ms of traffic, at least 1.
 * Less would make the fake's own scheduling delays on a busy machine (a
 * stall, then a batch of requests read at once) look like a burst.
 */
double fk_bucket_default_burst(double rate);

/* Buckets by name; zero-initialized = empty. */
struct fk_buckets {
	struct hmap map;
};

/* The bucket called name, made (full) on first use; valid until fk_buckets_clear. */
struct fk_bucket *fk_buckets_get(struct fk_buckets *bs, const char *name);
/* Forgets every bucket. */
void fk_buckets_clear(struct fk_buckets *bs);

#endif
