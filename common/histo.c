/* Prometheus histograms in seconds; see histo.h. */
#include "histo.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* metrics writer: the histogram at /metrics time. */
static void histo_writer(void *arg, FILE *out)
{
	histo_write(arg, out);
}

void histo_init_bounds(struct histo *h, const char *name, const char *help,
                       const double *bounds, size_t n)
{
	memset(h, 0, sizeof(*h));
	h->name = name;
	h->help = help;
	h->nbounds = n < HISTO_MAX_BUCKETS ? n : HISTO_MAX_BUCKETS;
	memcpy(h->bounds, bounds, h->nbounds * sizeof(double));
	pthread_mutex_init(&h->lock, NULL);
	h->writer.fn = histo_writer;
	h->writer.arg = h;
	metrics_add_writer(&h->writer);
}

/* The series of labels among the first n published, or NULL. */
static struct histo_series *histo_find(struct histo *h, const char *labels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(h->series[i]->labels, labels) == 0)
			return h->series[i];
	return NULL;
}

/* The series of labels, created if there is room; NULL past the cap. */
static struct histo_series *histo_series_of(struct histo *h, const char *labels)
{
	struct histo_series *s = histo_find(h, labels, atomic_load(&h->nseries));
	size_t n;

	if (s != NULL)
		return s;
	pthread_mutex_lock(&h->lock);
	n = atomic_load(&h->nseries);
	s = histo_find(h, labels, n);
	if (s == NULL && n < HISTO_MAX_SERIES && strlen(labels) < HISTO_LABELS_MAX) {
		s = xcalloc(1, sizeof(*s));
		strcpy(s->labels, labels);
		h->series[n] = s;
		atomic_store(&h->nseries, n + 1);   /* published after it is complete */
	}
	pthread_mutex_unlock(&h->lock);
	return s;
}

void histo_observe(struct histo *h, const char *labels, double seconds)
{
	struct histo_series *s = histo_series_of(h, labels);
	size_t i = 0;

	if (s == NULL) {
		atomic_fetch_add(&h->dropped, 1);
		return;
	}
	if (seconds < 0)
		seconds = 0;
	while (i < h->nbounds && seconds > h->bounds[i])
		i++;
	if (i < h->nbounds)
		atomic_fetch_add(&s->buckets[i], 1);
	atomic_fetch_add(&s->sum_us, (unsigned long)(seconds * 1e6 + 0.5));
	atomic_fetch_add(&s->count, 1);
}

/* One _bucket line: labels, then le. */
static void histo_bucket_line(const struct histo *h, const struct histo_series *s,
                              const char *le, unsigned long v, FILE *out)
{
	metrics_name(out, h->name);
	fprintf(out, "_bucket{%s%sle=\"%s\"} %lu\n", s->labels, s->labels[0] ? "," : "", le, v);
}

/* The lines of one series: cumulative buckets, +Inf, sum and count. */
static void histo_write_series(const struct histo *h, struct histo_series *s, FILE *out)
{
	unsigned long count = atomic_load(&s->count), cum = 0;
	char le[32];
	const char *open = s->labels[0] ? "{" : "", *close = s->labels[0] ? "}" : "";

	for (size_t i = 0; i < h->nbounds; i++) {
		cum += atomic_load(&s->buckets[i]);
		snprintf(le, sizeof(le), "%g", h->bounds[i]);
		histo_bucket_line(h, s, le, cum < count ? cum : count, out);
	}
	histo_bucket_line(h, s, "+Inf", count, out);
	metrics_name(out, h->name);
	fprintf(out, "_sum%s%s%s %.6f\n", open, s->labels, close,
	        (double)atomic_load(&s->sum_us) / 1e6);
	metrics_name(out, h->name);
	fprintf(out, "_count%s%s%s %lu\n", open, s->labels, close, count);
}

void histo_write(struct histo *h, FILE *out)
{
	size_t n = atomic_load(&h->nseries);

	metrics_header(out, h->name, "histogram", h->help);
	for (size_t i = 0; i < n; i++)
		histo_write_series(h, h->series[i], out);
}

void histo_free(struct histo *h)
{
	metrics_remove_writer(&h->writer);
	for (size_t i = 0; i < atomic_load(&h->nseries); i++)
		free(h->series[i]);
	atomic_store(&h->nseries, 0);
	pthread_mutex_destroy(&h->lock);
}
