/*
 * Kafka producer and consumer wrappers. See kafka.h for the contract.
 * Producers: idempotent, acknowledgement per message through the
 * message opaque. Consumers: manual offset store and synchronous commit.
 */
#include "kafka.h"

#include <event2/event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "kafka_lag.h"
#include "kafka_props.h"
#include "log.h"
#include "xmalloc.h"

extern char **environ;

#define KQ_MAX_TOPICS 32

struct kq_topics {
	const char *prefix;
	int n;
	char *plain[KQ_MAX_TOPICS];
	char *full[KQ_MAX_TOPICS];
};

struct kq_producer {
	rd_kafka_t *rk;
	struct kq_topics topics;
	int pipe_fd[2];
	struct event *ev_pipe;
	struct event *ev_timer;
};

struct kq_consumer {
	rd_kafka_t *rk;
	char *prefix;
	char *group;
	struct kq_hooks hooks;
};

/* What a produced message carries back to its delivery report. */
struct kq_ack {
	kq_ack_cb cb;
	void *arg;
};

/* Routes librdkafka's log lines into ours (syslog levels). */
static void kq_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	if (level <= 3)
		log_error("kafka.log", "%s: %s", fac, buf);
	else if (level <= 4)
		log_warn("kafka.log", "%s: %s", fac, buf);
	else if (level <= 6)
		log_info("kafka.log", "%s: %s", fac, buf);
	else
		log_debug("kafka.log", "%s: %s", fac, buf);
}

/* Client-level errors: transient ones are logged, fatal ones end the process. */
static void kq_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	char fatal[512];
	(void)opaque;

	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		rd_kafka_fatal_error(rk, fatal, sizeof(fatal));
		log_error("kafka.fatal", "%s: %s", reason, fatal);
		/* An idempotent producer that hit a fatal error cannot go on
		 * without risking order or duplicates: let the orchestrator
		 * restart us; nothing was acknowledged that is not on the broker. */
		exit(1);
	}
	log_warn("kafka.error", "%s: %s", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

/* Sets NULL-terminated name/value pairs; 0 or -1 (err set). */
static int kq_conf_pairs(rd_kafka_conf_t *conf, const char *const *kv, char *err, size_t errlen)
{
	for (; kv != NULL && kv[0] != NULL; kv += 2)
		if (rd_kafka_conf_set(conf, kv[0], kv[1], err, errlen) != RD_KAFKA_CONF_OK)
			return -1;
	return 0;
}

/*
 * Builds a configuration: our defaults, then the operator's
 * BND_KAFKA_PROP_* properties (kafka_props.h: TLS, SASL, tuning), then
 * the caller's extras, which the code needs as they are.
 */
static rd_kafka_conf_t *kq_conf(const char *brokers, const char *const *defaults,
                                const char *const *extra, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();

	if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, errlen) != RD_KAFKA_CONF_OK ||
	    kq_conf_pairs(conf, defaults, err, errlen) != 0 ||
	    kq_props_apply(conf, environ, err, errlen) != 0 ||
	    kq_conf_pairs(conf, extra, err, errlen) != 0)
		goto failed;
	rd_kafka_conf_set_log_cb(conf, kq_log_cb);
	rd_kafka_conf_set_error_cb(conf, kq_error_cb);
	return conf;
failed:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

/* The prefixed name of a topic, memoized. Not thread-safe: one thread per handle. */
static const char *topics_full(struct kq_topics *t, const char *topic)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->plain[i], topic) == 0)
			return t->full[i];
	if (t->n == KQ_MAX_TOPICS) {
		log_error("kafka.topics", "too many topics (%d)", KQ_MAX_TOPICS);
		abort();
	}
	t->plain[t->n] = xstrdup(topic);
	t->full[t->n] = xasprintf("%s%s", t->prefix, topic);
	return t->full[t->n++];
}

/* Delivery report: hand the result to whoever produced the message. */
static void kq_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque)
{
	struct kq_ack *ack = msg->_private;
	(void)rk;
	(void)opaque;

	if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_warn("kafka.delivery_failed", "topic %s: %s",
		         rd_kafka_topic_name(msg->rkt), rd_kafka_err2str(msg->err));
	if (ack == NULL)
		return;
	if (ack->cb != NULL)
		ack->cb(ack->arg, msg->err);
	free(ack);
}

struct kq_producer *kq_producer_new(const char *brokers, const char *prefix,
                                    const char *const *extra,
                                    char *err, size_t errlen)
{
	static const char *const defaults[] = {
		"enable.idempotence", "true",
		"acks", "all",
		"compression.type", "lz4",
		"linger.ms", "5",
		"message.timeout.ms", "30000",
		"queue.buffering.max.messages", "200000",
		NULL,
	};
	rd_kafka_conf_t *conf = kq_conf(brokers, defaults, extra, err, errlen);
	struct kq_producer *kp;

	if (conf == NULL)
		return NULL;
	rd_kafka_conf_set_dr_msg_cb(conf, kq_dr_cb);
	kp = xcalloc(1, sizeof(*kp));
	kp->topics.prefix = xstrdup(prefix ? prefix : "");
	kp->pipe_fd[0] = kp->pipe_fd[1] = -1;
	kp->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen);
	if (kp->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		free((char *)kp->topics.prefix);
		free(kp);
		return NULL;
	}
	return kp;
}

/* Frees the memoized topic names. */
static void topics_free(struct kq_topics *t)
{
	for (int i = 0; i < t->n; i++) {
		free(t->plain[i]);
		free(t->full[i]);
	}
	free((char *)t->prefix);
}

void kq_producer_free(struct kq_producer *kp, int timeout_ms)
{
	if (kp == NULL)
		return;
	if (kq_flush(kp, timeout_ms) != 0)
		log_error("kafka.flush_incomplete", "%d messages not acknowledged at shutdown",
		          rd_kafka_outq_len(kp->rk));
	if (kp->ev_pipe != NULL)
		event_free(kp->ev_pipe);
	if (kp->ev_timer != NULL)
		event_free(kp->ev_timer);
	rd_kafka_destroy(kp->rk);
	if (kp->pipe_fd[0] >= 0) {
		close(kp->pipe_fd[0]);
		close(kp->pipe_fd[1]);
	}
	topics_free(&kp->topics);
	free(kp);
}

rd_kafka_t *kq_producer_handle(struct kq_producer *kp)
{
	return kp->rk;
}

const char *kq_topic_name(struct kq_producer *kp, const char *topic)
{
	return topics_full(&kp->topics, topic);
}

/* Produces with headers (NULL: none), librdkafka's once produced,
 * destroyed if it failed. 0 or -1 (logged). */
static int kq_produce_headers(struct kq_producer *kp, const char *topic,
                              const void *key, size_t keylen,
                              const void *val, size_t vallen,
                              rd_kafka_headers_t *hdrs, kq_ack_cb cb, void *arg)
{
	struct kq_ack *ack = xmalloc(sizeof(*ack));
	const char *name = topics_full(&kp->topics, topic);
	rd_kafka_resp_err_t err;

	ack->cb = cb;
	ack->arg = arg;
	for (;;) {
		if (hdrs != NULL)
			err = rd_kafka_producev(kp->rk, RD_KAFKA_V_TOPIC(name),
			                        RD_KAFKA_V_KEY((void *)key, keylen),
			                        RD_KAFKA_V_VALUE((void *)val, vallen),
			                        RD_KAFKA_V_HEADERS(hdrs),
			                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			                        RD_KAFKA_V_OPAQUE(ack), RD_KAFKA_V_END);
		else
			err = rd_kafka_producev(kp->rk, RD_KAFKA_V_TOPIC(name),
			                        RD_KAFKA_V_KEY((void *)key, keylen),
			                        RD_KAFKA_V_VALUE((void *)val, vallen),
			                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			                        RD_KAFKA_V_OPAQUE(ack), RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		/* Back-pressure: serve delivery reports to make room. */
		rd_kafka_poll(kp->rk, 50);
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_error("kafka.produce_failed", "topic %s: %s", name, rd_kafka_err2str(err));
		if (hdrs != NULL)
			rd_kafka_headers_destroy(hdrs);
		free(ack);
		return -1;
	}
	return 0;
}

int kq_produce(struct kq_producer *kp, const char *topic,
               const void *key, size_t keylen,
               const void *val, size_t vallen,
               kq_ack_cb cb, void *arg)
{
	return kq_produce_headers(kp, topic, key, keylen, val, vallen, NULL, cb, arg);
}

int kq_header(const rd_kafka_headers_t *hdrs, const char *name, char *out, size_t outlen)
{
	const void *val = NULL;
	size_t len = 0;

	out[0] = '\0';
	if (hdrs == NULL || rd_kafka_header_get_last(hdrs, name, &val, &len) != 0 || val == NULL ||
	    len >= outlen)
		return -1;
	memcpy(out, val, len);
	out[len] = '\0';
	return 0;
}

void kq_poll(struct kq_producer *kp, int timeout_ms)
{
	rd_kafka_poll(kp->rk, timeout_ms);
}

/* The pipe says the main queue has events: drain the pipe, serve them. */
static void kq_on_pipe(evutil_socket_t fd, short what, void *arg)
{
	struct kq_producer *kp = arg;
	char buf[64];
	(void)what;

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	rd_kafka_poll(kp->rk, 0);
}

/* Safety net: also serve the queue on a timer. */
static void kq_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct kq_producer *kp = arg;
	(void)fd;
	(void)what;
	rd_kafka_poll(kp->rk, 0);
}

int kq_watch(struct kq_producer *kp, struct event_base *base)
{
	struct timeval tick = clock_timeval(100);
	rd_kafka_queue_t *q;

	if (pipe2(kp->pipe_fd, O_NONBLOCK | O_CLOEXEC) != 0)
		return -1;
	q = rd_kafka_queue_get_main(kp->rk);
	rd_kafka_queue_io_event_enable(q, kp->pipe_fd[1], "1", 1);
	rd_kafka_queue_destroy(q);
	kp->ev_pipe = event_new(base, kp->pipe_fd[0], EV_READ | EV_PERSIST, kq_on_pipe, kp);
	kp->ev_timer = event_new(base, -1, EV_PERSIST, kq_on_timer, kp);
	if (kp->ev_pipe == NULL || kp->ev_timer == NULL ||
	    event_add(kp->ev_pipe, NULL) != 0 || event_add(kp->ev_timer, &tick) != 0)
		return -1;
	return 0;
}

int kq_flush(struct kq_producer *kp, int timeout_ms)
{
	return rd_kafka_flush(kp->rk, timeout_ms) == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

void kq_batch_init(struct kq_batch *b)
{
	memset(b, 0, sizeof(*b));
}

/* Counts one acknowledgement of a batch. */
static void kq_batch_ack(void *arg, rd_kafka_resp_err_t err)
{
	struct kq_batch *b = arg;

	b->pending--;
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (b->failed++ == 0)
			b->first_err = err;
	}
}

int kq_batch_produce_headers(struct kq_producer *kp, struct kq_batch *b,
                             const char *topic, const void *key, size_t keylen,
                             const void *val, size_t vallen, rd_kafka_headers_t *hdrs)
{
	if (kq_produce_headers(kp, topic, key, keylen, val, vallen, hdrs, kq_batch_ack, b) != 0) {
		if (b->failed++ == 0)
			b->first_err = RD_KAFKA_RESP_ERR__FAIL;
		return -1;
	}
	b->pending++;
	return 0;
}

int kq_batch_produce(struct kq_producer *kp, struct kq_batch *b,
                     const char *topic, const void *key, size_t keylen,
                     const void *val, size_t vallen)
{
	return kq_batch_produce_headers(kp, b, topic, key, keylen, val, vallen, NULL);
}

int kq_batch_wait(struct kq_producer *kp, struct kq_batch *b)
{
	while (b->pending > 0)
		rd_kafka_poll(kp->rk, 100);
	if (b->failed > 0) {
		log_warn("kafka.batch_failed", "%ld of the batch failed: %s", b->failed,
		         rd_kafka_err2str(b->first_err));
		return -1;
	}
	return 0;
}

/* Logs a partition list: "topic[p], ...". */
static void kq_log_parts(const char *event, const char *what,
                         const rd_kafka_topic_partition_list_t *parts)
{
	char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < parts->cnt && len < sizeof(buf) - 64; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s[%d]", i ? ", " : "",
		                        parts->elems[i].topic, (int)parts->elems[i].partition);
	log_info(event, "%s %d partition(s): %s", what, parts->cnt, buf);
}

/*
 * The group's rebalances (incremental): the owner's hook runs before
 * partitions are given up, then what was stored for them is committed;
 * new partitions are taken, then the owner is told.
 */
static void kq_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct kq_consumer *kc = opaque;
	bool coop = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
	rd_kafka_error_t *error = NULL;
	rd_kafka_resp_err_t cerr = RD_KAFKA_RESP_ERR_NO_ERROR;

	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		kq_log_parts("kafka.assigned", "assigned", parts);
		if (coop)
			error = rd_kafka_incremental_assign(rk, parts);
		else
			cerr = rd_kafka_assign(rk, parts);
		if (kc->hooks.assigned != NULL)
			kc->hooks.assigned(kc->hooks.arg, kc, parts);
	} else {
		bool lost = err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS || rd_kafka_assignment_lost(rk);
		kq_log_parts("kafka.revoked", lost ? "lost" : "revoking", parts);
		if (kc->hooks.revoked != NULL)
			kc->hooks.revoked(kc->hooks.arg, kc, parts, lost);
		/* Everything stored (the assignment still holds the revoked partitions). */
		if (!lost && (cerr = rd_kafka_commit(rk, NULL, 0)) != RD_KAFKA_RESP_ERR_NO_ERROR &&
		    cerr != RD_KAFKA_RESP_ERR__NO_OFFSET)
			log_warn("kafka.commit_failed", "on revoke: %s", rd_kafka_err2str(cerr));
		if (coop)
			error = rd_kafka_incremental_unassign(rk, parts);
		else
			cerr = rd_kafka_assign(rk, NULL);
	}
	if (!coop && cerr != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_error("kafka.rebalance_failed", "%s", rd_kafka_err2str(cerr));
	if (error != NULL) {
		log_error("kafka.rebalance_failed", "%s", rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	}
}

/* librdkafka's statistics of a consumer: its lag (kafka_lag.h). 0: librdkafka frees json. */
static int kq_stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
	const struct kq_consumer *kc = opaque;
	(void)rk;

	klag_update(kc->group, json, len, kc->prefix);
	return 0;
}

struct kq_consumer *kq_consumer_new(const char *brokers, const char *prefix,
                                    const char *group_id,
                                    const char *const *topics,
                                    const char *const *extra,
                                    char *err, size_t errlen)
{
	static const char *const defaults[] = {
		"enable.auto.commit", "false",
		"enable.auto.offset.store", "false",
		"auto.offset.reset", "earliest",
		"enable.partition.eof", "false",
		"session.timeout.ms", "10000",
		"heartbeat.interval.ms", "2000",
		"max.poll.interval.ms", "600000",
		/* Prefetch at most 8 MiB per consumer (librdkafka's default is 64 MiB):
		 * a backlog stays in Kafka, not in our memory. */
		"queued.max.messages.kbytes", "8192",
		/* Incremental rebalancing: a member joining or leaving stops only
		 * the partitions that move, never the whole group. */
		"partition.assignment.strategy", "cooperative-sticky",
		/* Statistics (consumer lag, kafka_lag.h), delivered from our poll. */
		"statistics.interval.ms", KLAG_INTERVAL_MS,
		NULL,
	};
	rd_kafka_conf_t *conf = kq_conf(brokers, defaults, extra, err, errlen);
	rd_kafka_topic_partition_list_t *subs;
	struct kq_consumer *kc;
	rd_kafka_resp_err_t rerr;
	int n = 0;

	if (conf == NULL)
		return NULL;
	if (rd_kafka_conf_set(conf, "group.id", group_id, err, errlen) != RD_KAFKA_CONF_OK) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	kc = xcalloc(1, sizeof(*kc));
	kc->prefix = xstrdup(prefix ? prefix : "");
	kc->group = xstrdup(group_id);
	rd_kafka_conf_set_opaque(conf, kc);
	rd_kafka_conf_set_stats_cb(conf, kq_stats_cb);
	rd_kafka_conf_set_rebalance_cb(conf, kq_rebalance_cb);
	kc->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
	if (kc->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		free(kc->prefix);
		free(kc->group);
		free(kc);
		return NULL;
	}
	rd_kafka_poll_set_consumer(kc->rk);
	while (topics[n] != NULL)
		n++;
	subs = rd_kafka_topic_partition_list_new(n);
	for (int i = 0; i < n; i++) {
		char *name = xasprintf("%s%s", kc->prefix, topics[i]);
		rd_kafka_topic_partition_list_add(subs, name, RD_KAFKA_PARTITION_UA);
		free(name);
	}
	rerr = rd_kafka_subscribe(kc->rk, subs);
	rd_kafka_topic_partition_list_destroy(subs);
	if (rerr != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "subscribe: %s", rd_kafka_err2str(rerr));
		kq_consumer_free(kc);
		return NULL;
	}
	return kc;
}

void kq_consumer_hooks(struct kq_consumer *kc, const struct kq_hooks *hooks)
{
	if (hooks != NULL)
		kc->hooks = *hooks;
	else
		memset(&kc->hooks, 0, sizeof(kc->hooks));
}

rd_kafka_message_t *kq_consume(struct kq_consumer *kc, int timeout_ms)
{
	rd_kafka_message_t *msg = rd_kafka_consumer_poll(kc->rk, timeout_ms);

	if (msg == NULL || msg->err == RD_KAFKA_RESP_ERR_NO_ERROR)
		return msg;
	if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
		log_warn("kafka.consume_error", "%s: %s",
		         msg->rkt ? rd_kafka_topic_name(msg->rkt) : "-",
		         rd_kafka_message_errstr(msg));
	rd_kafka_message_destroy(msg);
	return NULL;
}

void kq_store_offset(struct kq_consumer *kc, const char *topic, int32_t partition, int64_t next)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_resp_err_t err;

	rd_kafka_topic_partition_list_add(l, topic, partition)->offset = next;
	err = rd_kafka_offsets_store(kc->rk, l);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_warn("kafka.store_failed", "partition %d: %s (rebalanced away?)",
		         (int)partition, rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
}

void kq_store(struct kq_consumer *kc, const rd_kafka_message_t *msg)
{
	kq_store_offset(kc, rd_kafka_topic_name(msg->rkt), msg->partition, msg->offset + 1);
}

/* Commits the stored offsets, waiting for the broker or not. 0, or -1 (logged). */
static int kq_commit_stored(struct kq_consumer *kc, bool async)
{
	rd_kafka_resp_err_t err = rd_kafka_commit(kc->rk, NULL, async);

	if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET)
		return 0;
	log_warn("kafka.commit_failed", "%s", rd_kafka_err2str(err));
	return -1;
}

int kq_commit(struct kq_consumer *kc)
{
	return kq_commit_stored(kc, false);
}

int kq_commit_async(struct kq_consumer *kc)
{
	return kq_commit_stored(kc, true);
}

void kq_consumer_free(struct kq_consumer *kc)
{
	if (kc == NULL)
		return;
	if (kq_commit(kc) != 0)
		log_warn("kafka.close", "final commit failed; the next owner replays from the last commit");
	rd_kafka_consumer_close(kc->rk);
	rd_kafka_destroy(kc->rk);
	free(kc->prefix);
	free(kc->group);
	free(kc);
}
