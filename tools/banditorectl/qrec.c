/* Quarantined records read back: headers, the set, ids, what replay does; see qrec.h. */
#include "qrec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "xmalloc.h"

/* Parses a decimal integer of [min, max] (the whole string); 0 or -1. */
static int qrec_number(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s[0] == '\0' || s[0] == ' ' || s[0] == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int qrec_parse_headers(struct qrec *r, const rd_kafka_headers_t *hdrs)
{
	char part[24], off[24];
	long long p, o;

	r->known = false;
	kq_header(hdrs, QN_H_SERVICE, r->service, sizeof(r->service));
	kq_header(hdrs, QN_H_ERROR, r->error, sizeof(r->error));
	if (kq_header(hdrs, QN_H_TOPIC, r->src_topic, sizeof(r->src_topic)) != 0 ||
	    r->src_topic[0] == '\0' ||
	    kq_header(hdrs, QN_H_PARTITION, part, sizeof(part)) != 0 ||
	    kq_header(hdrs, QN_H_OFFSET, off, sizeof(off)) != 0 ||
	    qrec_number(part, 0, INT32_MAX, &p) != 0 || qrec_number(off, -1, INT64_MAX, &o) != 0)
		return -1;
	r->src_partition = (int32_t)p;
	r->src_offset = (int64_t)o;
	r->known = true;
	return 0;
}

/* A copy of len bytes, or NULL for none. */
static void *qrec_dup(const void *p, size_t len)
{
	void *copy;

	if (p == NULL)
		return NULL;
	copy = xmalloc(len ? len : 1);
	memcpy(copy, p, len);
	return copy;
}

void qrec_set_add(void *arg, const rd_kafka_message_t *msg)
{
	struct qrec_set *s = arg;
	rd_kafka_headers_t *hdrs = NULL;
	struct qrec *r;

	s->v = xgrow(s->v, s->n, &s->cap, sizeof(*s->v));
	r = &s->v[s->n++];
	memset(r, 0, sizeof(*r));
	r->partition = msg->partition;
	r->offset = msg->offset;
	r->ts_ms = rd_kafka_message_timestamp(msg, NULL);
	if (rd_kafka_message_headers(msg, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR)
		hdrs = NULL;
	(void)qrec_parse_headers(r, hdrs);   /* not known: listed, never replayed */
	r->key = qrec_dup(msg->key, msg->key_len);
	r->klen = msg->key ? msg->key_len : 0;
	r->val = qrec_dup(msg->payload, msg->len);
	r->vlen = msg->payload ? msg->len : 0;
}

int qrec_set_read(struct qrec_set *s, const char *qtopic)
{
	int rc = ctl_read_topic(qtopic, qrec_set_add, s);

	if (rc == CTL_OK)
		qrec_set_sort_id(s);
	return rc;
}

void qrec_set_free(struct qrec_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].key);
		free(s->v[i].val);
	}
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Orders two (partition, offset) pairs. */
static int qrec_cmp_pos(int32_t pa, int64_t oa, int32_t pb, int64_t ob)
{
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return oa < ob ? -1 : oa > ob;
}

/* qsort: id order. */
static int qrec_cmp_id(const void *a, const void *b)
{
	const struct qrec *x = a, *y = b;

	return qrec_cmp_pos(x->partition, x->offset, y->partition, y->offset);
}

/* qsort over pointers: time, then id. */
static int qrec_cmp_time(const void *a, const void *b)
{
	const struct qrec *x = *(const struct qrec *const *)a, *y = *(const struct qrec *const *)b;

	if (x->ts_ms != y->ts_ms)
		return x->ts_ms < y->ts_ms ? -1 : 1;
	return qrec_cmp_id(x, y);
}

void qrec_set_sort_id(struct qrec_set *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), qrec_cmp_id);
}

struct qrec *qrec_find(const struct qrec_set *s, int32_t partition, int64_t offset)
{
	struct qrec key = { .partition = partition, .offset = offset };

	if (s->n == 0)
		return NULL;
	return bsearch(&key, s->v, s->n, sizeof(*s->v), qrec_cmp_id);
}

struct qrec **qrec_by_time(const struct qrec_set *s)
{
	struct qrec **order = xmalloc((s->n ? s->n : 1) * sizeof(*order));

	for (size_t i = 0; i < s->n; i++)
		order[i] = &s->v[i];
	if (s->n > 1)
		qsort(order, s->n, sizeof(*order), qrec_cmp_time);
	return order;
}

int qrec_id_parse(const char *s, int32_t *partition, int64_t *offset)
{
	const char *colon = strchr(s, ':');
	char part[24];
	long long p, o;
	size_t n = colon ? (size_t)(colon - s) : 0;

	if (colon == NULL || n == 0 || n >= sizeof(part))
		return -1;
	memcpy(part, s, n);
	part[n] = '\0';
	if (qrec_number(part, 0, INT32_MAX, &p) != 0 || qrec_number(colon + 1, 0, INT64_MAX, &o) != 0)
		return -1;
	*partition = (int32_t)p;
	*offset = (int64_t)o;
	return 0;
}

const char *qrec_target(const struct qrec *r, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *name;

	if (!r->known || strncmp(r->src_topic, prefix, plen) != 0)
		return NULL;
	name = r->src_topic + plen;
	for (const char *const *t = ctl_kafka_topics; *t != NULL; t++)
		if (strcmp(name, *t) == 0 && strcmp(*t, TOPIC_QUARANTINE) != 0)
			return *t;
	return NULL;
}

bool qrec_from(const struct qrec *r, const char *prefix, const char *topic)
{
	size_t plen = strlen(prefix);

	if (topic == NULL)
		return true;
	if (!r->known)
		return false;
	return strcmp(r->src_topic, topic) == 0 ||
	       (strncmp(r->src_topic, prefix, plen) == 0 && strcmp(r->src_topic + plen, topic) == 0);
}

enum qrec_choice qrec_choose(const struct qrec *r, const char *prefix, const char *topic, bool all)
{
	if (!qrec_from(r, prefix, topic))
		return QREC_OTHER;
	if (!r->known)
		return QREC_UNKNOWN;
	if (qrec_target(r, prefix) == NULL)
		return QREC_FOREIGN;
	if (all && r->replays > 0)
		return QREC_DONE;
	return QREC_REPLAY;
}
