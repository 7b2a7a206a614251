/* Consumer lag from librdkafka's statistics; see kafka_lag.h. */
#include "kafka_lag.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "xmalloc.h"

/* One group's partitions as last reported. */
struct klag_group {
	char             *group;
	struct klag_part *parts;
	int               n;
	struct klag_group *next;
};

static struct klag_group *groups;
static pthread_mutex_t klag_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t klag_once = PTHREAD_ONCE_INIT;
static struct metrics_writer klag_writer;

/* Adds the partitions of one topic object ({"partitions": {...}}) to v. */
static void klag_topic(const char *name, json_t *topic, const char *prefix,
                       struct klag_part **v, int *n)
{
	size_t plen = prefix != NULL ? strlen(prefix) : 0;
	json_t *parts = json_object_get(topic, "partitions"), *p;
	const char *key;

	if (plen > 0 && strncmp(name, prefix, plen) == 0)
		name += plen;
	json_object_foreach(parts, key, p) {
		json_t *id = json_object_get(p, "partition"), *lag = json_object_get(p, "consumer_lag");
		if (!json_is_integer(id) || !json_is_integer(lag) || json_integer_value(id) < 0 ||
		    json_integer_value(lag) < 0)
			continue;   /* -1: the internal UA partition, or a lag not known */
		*v = xrealloc(*v, (size_t)(*n + 1) * sizeof(**v));
		snprintf((*v)[*n].topic, sizeof((*v)[*n].topic), "%s", name);
		(*v)[*n].partition = (int)json_integer_value(id);
		(*v)[*n].lag = (long long)json_integer_value(lag);
		(*n)++;
	}
}

int klag_parse(const char *json, size_t len, const char *prefix, struct klag_part **out)
{
	json_t *doc = json_loadb(json, len, 0, NULL), *topics, *t;
	const char *name;
	int n = 0;

	*out = NULL;
	topics = json_object_get(doc, "topics");
	if (!json_is_object(topics)) {
		json_decref(doc);
		return -1;
	}
	json_object_foreach(topics, name, t)
		klag_topic(name, t, prefix, out, &n);
	json_decref(doc);
	return n;
}

/* metrics writer: every group's partitions. */
static void klag_write(void *arg, FILE *out)
{
	(void)arg;
	metrics_header(out, "consumer_lag", "gauge",
	               "messages of the partition not yet consumed and committed by the group "
	               "(librdkafka statistics)");
	pthread_mutex_lock(&klag_lock);
	for (const struct klag_group *g = groups; g != NULL; g = g->next)
		for (int i = 0; i < g->n; i++) {
			metrics_name(out, "consumer_lag");
			fprintf(out, "{group=\"%s\",topic=\"%s\",partition=\"%d\"} %lld\n", g->group,
			        g->parts[i].topic, g->parts[i].partition, g->parts[i].lag);
		}
	pthread_mutex_unlock(&klag_lock);
}

/* Registers the writer, the first time a document comes. */
static void klag_register(void)
{
	klag_writer.fn = klag_write;
	metrics_add_writer(&klag_writer);
}

/* The record of group, created if new. Holds klag_lock. */
static struct klag_group *klag_group_of(const char *group)
{
	struct klag_group *g;

	for (g = groups; g != NULL; g = g->next)
		if (strcmp(g->group, group) == 0)
			return g;
	g = xcalloc(1, sizeof(*g));
	g->group = xstrdup(group);
	g->next = groups;
	groups = g;
	return g;
}

void klag_update(const char *group, const char *json, size_t len, const char *prefix)
{
	struct klag_part *parts;
	struct klag_group *g;
	int n = klag_parse(json, len, prefix, &parts);

	if (n < 0)
		return;
	pthread_once(&klag_once, klag_register);
	pthread_mutex_lock(&klag_lock);
	g = klag_group_of(group);
	free(g->parts);
	g->parts = parts;
	g->n = n;
	pthread_mutex_unlock(&klag_lock);
}
