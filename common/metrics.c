/* Registered metrics, exported in Prometheus text format. */
#include "metrics.h"

#include <pthread.h>
#include <string.h>

#include "log.h"
#include "version.h"

static struct metric *metrics_head;
static struct metrics_writer *writers_head;
static struct metrics_writer extra_writer;
static pthread_mutex_t metrics_lock = PTHREAD_MUTEX_INITIALIZER;

void metrics_add_writer(struct metrics_writer *w)
{
	pthread_mutex_lock(&metrics_lock);
	w->next = writers_head;
	writers_head = w;
	pthread_mutex_unlock(&metrics_lock);
}

/* Unlinks w; the caller holds metrics_lock. */
static void writer_unlink(struct metrics_writer *w)
{
	for (struct metrics_writer **p = &writers_head; *p != NULL; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
}

void metrics_remove_writer(struct metrics_writer *w)
{
	pthread_mutex_lock(&metrics_lock);
	writer_unlink(w);
	pthread_mutex_unlock(&metrics_lock);
}

void metrics_set_extra(void (*fn)(void *arg, FILE *out), void *arg)
{
	pthread_mutex_lock(&metrics_lock);
	writer_unlink(&extra_writer);
	extra_writer.fn = fn;
	extra_writer.arg = arg;
	if (fn != NULL) {
		extra_writer.next = writers_head;
		writers_head = &extra_writer;
	}
	pthread_mutex_unlock(&metrics_lock);
}

void metrics_register(struct metric *m)
{
	pthread_mutex_lock(&metrics_lock);
	m->next = metrics_head;
	metrics_head = m;
	pthread_mutex_unlock(&metrics_lock);
}

void metrics_name(FILE *out, const char *name)
{
	if (strncmp(name, "bnd_", 4) != 0)
		fprintf(out, "bnd_%s_", log_service_name());
	fputs(name, out);
}

void metrics_header(FILE *out, const char *name, const char *type, const char *help)
{
	fputs("# HELP ", out);
	metrics_name(out, name);
	fprintf(out, " %s\n# TYPE ", help);
	metrics_name(out, name);
	fprintf(out, " %s\n", type);
}

/* bnd_<service>_build_info{version,service} 1. */
static void metrics_build_info(FILE *out)
{
	metrics_header(out, "build_info", "gauge", "always 1; labels: the build's version");
	metrics_name(out, "build_info");
	fprintf(out, "{version=\"%s\",service=\"%s\"} 1\n", bnd_version, log_service_name());
}

void metrics_write(FILE *out)
{
	pthread_mutex_lock(&metrics_lock);
	metrics_build_info(out);
	for (struct metric *m = metrics_head; m != NULL; m = m->next) {
		metrics_header(out, m->name, m->type, m->help);
		metrics_name(out, m->name);
		fprintf(out, " %ld\n", atomic_load(&m->value));
	}
	for (struct metrics_writer *w = writers_head; w != NULL; w = w->next)
		w->fn(w->arg, out);
	pthread_mutex_unlock(&metrics_lock);
}
