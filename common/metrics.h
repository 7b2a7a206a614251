/*
 * Process-wide counters and gauges, exported in Prometheus text format.
 * Define each metric once as a static struct and register it at start-up:
 *   static struct metric m_jobs = METRIC_COUNTER("bnd_composer_jobs_total", "...");
 *   metrics_register(&m_jobs);  metric_add(&m_jobs, 1);
 * Every name carries its service's prefix (bnd_<service>_). Shared code
 * (common/) names its metrics without it ("worker_retries_total"): a name
 * not starting with "bnd_" is written as bnd_<service>_<name>, the
 * service being log_init's. Every service also exports
 * bnd_<service>_build_info{version,service} 1.
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

/* A writer of labelled lines (histograms, per-channel series), called
 * with arg from the health server's thread after the plain metrics. */
struct metrics_writer {
	void (*fn)(void *arg, FILE *out);
	void *arg;
	struct metrics_writer *next;
};

void metrics_register(struct metric *m);
static inline void metric_add(struct metric *m, long v) { atomic_fetch_add(&m->value, v); }
static inline void metric_set(struct metric *m, long v) { atomic_store(&m->value, v); }
/* Adds a writer (w lives as long as the process, or until removed). */
void metrics_add_writer(struct metrics_writer *w);
/* Removes w: once this returns, w->fn is not running and will not be
 * called again. */
void metrics_remove_writer(struct metrics_writer *w);
/* A writer of extra (e.g. labelled) lines, called with arg after the
 * registered metrics from the health server's thread; NULL removes it
 * (once this returns, fn is not running and will not be called again). */
void metrics_set_extra(void (*fn)(void *arg, FILE *out), void *arg);
/* Writes name with the service prefix if it lacks "bnd_" (see above). */
void metrics_name(FILE *out, const char *name);
/* Writes the # HELP and # TYPE lines of name (prefixed as metrics_name). */
void metrics_header(FILE *out, const char *name, const char *type, const char *help);
/* Writes all registered metrics. */
void metrics_write(FILE *out);

#endif
