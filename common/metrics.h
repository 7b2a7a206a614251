/*
 * Process-wide counters and gauges, exported in Prometheus text format.
 * Define each metric once as a static struct and register it at start-up:
 *   static struct metric m_jobs = METRIC_COUNTER("bnd_jobs_total", "...");
 *   metrics_register(&m_jobs);  metric_add(&m_jobs, 1);
 */
#ifndef BND_METRICS_H
#define BND_METRICS_H

#include <stdatomic.h>
#include <stdio.h>

struct metric {
	const char   *name;
	const char   *help;
	const char   *type;   /* "counter" or "gauge" */
	atomic_long   value;
	struct metric *next;
};

#define METRIC_COUNTER(n, h) { (n), (h), "counter", 0, NULL }
#define METRIC_GAUGE(n, h)   { (n), (h), "gauge", 0, NULL }

void metrics_register(struct metric *m);
static inline void metric_add(struct metric *m, long v) { atomic_fetch_add(&m->value, v); }
static inline void metric_set(struct metric *m, long v) { atomic_store(&m->value, v); }
/* A writer of extra (e.g. labelled) lines, called with arg after the
 * registered metrics from the health server's thread; NULL removes it
 * (once this returns, fn is not running and will not be called again). */
void metrics_set_extra(void (*fn)(void *arg, FILE *out), void *arg);
/* Writes all registered metrics. */
void metrics_write(FILE *out);

#endif
