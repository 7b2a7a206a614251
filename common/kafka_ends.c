/* Watermarks of a few topics; see kafka_ends.h. */
#include "kafka_ends.h"

#include <stdatomic.h>
#include <stdio.h>

#include "clock.h"
#include "metrics.h"
#include "xmalloc.h"

static struct {
	const char  *topic[KENDS_MAX];     /* as named in metrics */
	char        *full[KENDS_MAX];      /* with the prefix */
	atomic_llong end[KENDS_MAX];       /* -1 until known */
	atomic_llong retained[KENDS_MAX];
	int          n;
	int64_t      next_ms;
	struct metrics_writer writer;
} ke;

/* metrics writer. */
static void kends_write(void *arg, FILE *out)
{
	(void)arg;
	metrics_header(out, "topic_end_offset", "gauge",
	               "messages ever written to the topic (sum of its partitions' high watermarks)");
	for (int i = 0; i < ke.n; i++)
		if (atomic_load(&ke.end[i]) >= 0) {
			metrics_name(out, "topic_end_offset");
			fprintf(out, "{topic=\"%s\"} %lld\n", ke.topic[i], atomic_load(&ke.end[i]));
		}
	metrics_header(out, "topic_retained_messages", "gauge",
	               "messages the topic holds now (high minus low watermarks, within retention)");
	for (int i = 0; i < ke.n; i++)
		if (atomic_load(&ke.end[i]) >= 0) {
			metrics_name(out, "topic_retained_messages");
			fprintf(out, "{topic=\"%s\"} %lld\n", ke.topic[i], atomic_load(&ke.retained[i]));
		}
}

void kends_watch(const char *prefix, const char *const *topics)
{
	for (int i = 0; topics[i] != NULL && ke.n < KENDS_MAX; i++) {
		ke.topic[ke.n] = topics[i];
		ke.full[ke.n] = xasprintf("%s%s", prefix != NULL ? prefix : "", topics[i]);
		atomic_store(&ke.end[ke.n], -1);
		ke.n++;
	}
	ke.writer.fn = kends_write;
	metrics_add_writer(&ke.writer);
}

/* Sums one topic's watermarks; -1 if the brokers did not say. */
static int kends_topic(rd_kafka_t *rk, int i)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, ke.full[i], NULL);
	const struct rd_kafka_metadata *md = NULL;
	long long end = 0, kept = 0;
	int rc = -1;

	if (rkt == NULL)
		return -1;
	if (rd_kafka_metadata(rk, 0, rkt, &md, 1500) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    md->topic_cnt != 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR)
		goto done;
	for (int p = 0; p < md->topics[0].partition_cnt; p++) {
		int64_t lo, hi;
		if (rd_kafka_query_watermark_offsets(rk, ke.full[i], md->topics[0].partitions[p].id,
		                                     &lo, &hi, 1500) != RD_KAFKA_RESP_ERR_NO_ERROR)
			goto done;
		end += hi;
		kept += hi - lo;
	}
	atomic_store(&ke.end[i], end);
	atomic_store(&ke.retained[i], kept);
	rc = 0;
done:
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	return rc;
}

void kends_probe(rd_kafka_t *rk)
{
	int64_t now = clock_mono_ms();

	if (ke.n == 0 || now < ke.next_ms)
		return;
	ke.next_ms = now + KENDS_EVERY_MS;
	for (int i = 0; i < ke.n; i++)
		(void)kends_topic(rk, i);
}
