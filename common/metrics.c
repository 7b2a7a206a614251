/* Registered metrics, exported in Prometheus text format. */
#include "metrics.h"

#include <pthread.h>

static struct metric *metrics_head;
static pthread_mutex_t metrics_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*metrics_extra)(void *arg, FILE *out);
static void *metrics_extra_arg;

void metrics_set_extra(void (*fn)(void *arg, FILE *out), void *arg)
{
	pthread_mutex_lock(&metrics_lock);
	metrics_extra = fn;
	metrics_extra_arg = arg;
	pthread_mutex_unlock(&metrics_lock);
}

void metrics_register(struct metric *m)
{
	pthread_mutex_lock(&metrics_lock);
	m->next = metrics_head;
	metrics_head = m;
	pthread_mutex_unlock(&metrics_lock);
}

void metrics_write(FILE *out)
{
	pthread_mutex_lock(&metrics_lock);
	for (struct metric *m = metrics_head; m != NULL; m = m->next)
		fprintf(out, "# HELP %s %s\n# TYPE %s %s\n%s %ld\n", m->name,
		        m->help, m->name, m->type, m->name, atomic_load(&m->value));
	if (metrics_extra != NULL)
		metrics_extra(metrics_extra_arg, out);
	pthread_mutex_unlock(&metrics_lock);
}
