/*
 * Prometheus histograms in seconds: one name, fixed bucket bounds, and up
 * to HISTO_MAX_SERIES label sets (the caller keeps them bounded: a
 * channel kind, a route name and a status). Observing is lock-free once
 * the series exists; finding or creating it takes the histogram's mutex.
 * Written as <name>_bucket{...,le="..."}, <name>_sum and <name>_count.
 *   static struct histo h_lat;
 *   histo_init(&h_lat, "provider_request_seconds", "...", HISTO_LATENCY);
 *   histo_observe(&h_lat, "kind=\"whatsapp\"", 0.120);
 */
#ifndef BND_HISTO_H
#define BND_HISTO_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>

#include "metrics.h"

#define HISTO_MAX_BUCKETS 16
#define HISTO_MAX_SERIES  256
#define HISTO_LABELS_MAX  96

/* Bounds (seconds) for HTTP requests, and for minutes-long pipelines. */
#define HISTO_LATENCY  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
#define HISTO_PIPELINE 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600

struct histo_series {
	char          labels[HISTO_LABELS_MAX];   /* 'a="x",b="y"' or "" */
	atomic_ulong  buckets[HISTO_MAX_BUCKETS]; /* not cumulative: per bound */
	atomic_ulong  count;
	atomic_ulong  sum_us;                     /* microseconds */
};

struct histo {
	const char          *name;   /* without _bucket; service-prefixed as metrics_name */
	const char          *help;
	double               bounds[HISTO_MAX_BUCKETS];
	size_t               nbounds;
	pthread_mutex_t      lock;
	struct histo_series *series[HISTO_MAX_SERIES];
	atomic_size_t        nseries;
	atomic_ulong         dropped;  /* observations of label sets past the cap */
	struct metrics_writer writer;
};

/* Sets h up with ascending bounds (at most HISTO_MAX_BUCKETS; the +Inf
 * bucket is implied) and registers it with metrics. */
#define histo_init(h, name, help, ...)                                            \
	histo_init_bounds((h), (name), (help), (const double[]){ __VA_ARGS__ },       \
	                  sizeof((const double[]){ __VA_ARGS__ }) / sizeof(double))
void histo_init_bounds(struct histo *h, const char *name, const char *help,
                       const double *bounds, size_t n);
/* Records one observation of seconds under labels ("" for none; copied;
 * at most HISTO_LABELS_MAX - 1 bytes, already escaped). */
void histo_observe(struct histo *h, const char *labels, double seconds);
/* Writes h in the Prometheus text format. */
void histo_write(struct histo *h, FILE *out);
/* Unregisters h and frees its series (tests). */
void histo_free(struct histo *h);

#endif
