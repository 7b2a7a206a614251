/* Per-channel counters; see chstats.h. */
#include "chstats.h"

#include <pthread.h>
#include <stdio.h>

#include "hmap.h"
#include "metrics.h"
#include "xmalloc.h"

struct chs_row {
	char         key[24];   /* the channel id as text: the map's key */
	channel_kind kind;
	long         n[CHS_N];
};

static const char *const chs_names[CHS_N] = {
	"sent", "failed", "dead", "throttled", "retried",
};
static const char *const chs_help[CHS_N] = {
	"jobs of the channel accepted by the provider",
	"jobs of the channel failed permanently",
	"jobs of the channel given up on and dead-lettered",
	"provider answers asking the channel's sender to slow down",
	"retries of the channel's jobs scheduled after transient errors",
};

static struct hmap chs_map;
static pthread_mutex_t chs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct metrics_writer chs_writer;

/* The lines of one counter, every channel. Holds chs_lock. */
static void chs_write_one(FILE *out, enum chs_counter what)
{
	const struct hmap_ent *e;
	size_t pos = 0;

	fprintf(out, "# HELP bnd_dispatcher_channel_%s_total %s\n"
	        "# TYPE bnd_dispatcher_channel_%s_total counter\n",
	        chs_names[what], chs_help[what], chs_names[what]);
	while ((e = hmap_next(&chs_map, &pos)) != NULL) {
		const struct chs_row *row = e->val;
		fprintf(out, "bnd_dispatcher_channel_%s_total{channel=\"%s\",kind=\"%s\"} %ld\n",
		        chs_names[what], row->key, channel_kind_name(row->kind), row->n[what]);
	}
}

/* metrics writer. */
static void chs_write(void *arg, FILE *out)
{
	(void)arg;
	pthread_mutex_lock(&chs_lock);
	for (int i = 0; i < CHS_N; i++)
		chs_write_one(out, (enum chs_counter)i);
	pthread_mutex_unlock(&chs_lock);
}

void chs_register(void)
{
	chs_writer.fn = chs_write;
	metrics_add_writer(&chs_writer);
}

void chs_count(long long channel_id, channel_kind kind, enum chs_counter what)
{
	char key[24];
	struct chs_row *row;

	snprintf(key, sizeof(key), "%lld", channel_id);
	pthread_mutex_lock(&chs_lock);
	row = hmap_get(&chs_map, key);
	if (row == NULL) {
		row = xcalloc(1, sizeof(*row));
		snprintf(row->key, sizeof(row->key), "%s", key);
		row->kind = kind;
		hmap_put(&chs_map, row->key, row);
	}
	row->n[what]++;
	pthread_mutex_unlock(&chs_lock);
}
