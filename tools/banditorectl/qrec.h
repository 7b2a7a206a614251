/*
 * The quarantine topic as banditorectl reads it back (how services write
 * it: common/quarantine.h). A record is known by its place in that topic,
 * "PARTITION:OFFSET" (its id for `quarantine replay --id`); its headers
 * say where it was read from and why it was set aside; its key and value
 * are the original message's, kept only to be replayed (never printed:
 * they may hold personal data).
 */
#ifndef BND_CTL_QREC_H
#define BND_CTL_QREC_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quarantine.h"

#define QREC_TOPIC_MAX 256
#define QREC_SERVICE_MAX 64

/* One quarantined record. */
struct qrec {
	int32_t partition;                   /* its id in the quarantine topic */
	int64_t offset;
	int64_t ts_ms;                       /* when it was set aside (Kafka time) */
	bool    known;                       /* the headers name its source (src_*) */
	char    src_topic[QREC_TOPIC_MAX];   /* full name, the stack's prefix included */
	int32_t src_partition;
	int64_t src_offset;                  /* -1: a dispatcher job read back from PostgreSQL */
	char    service[QREC_SERVICE_MAX];   /* who set it aside ("" if not said) */
	char    error[QN_WHY_MAX + 1];       /* why ("" if not said) */
	void   *key, *val;                   /* copies, NULL where the message had none */
	size_t  klen, vlen;
	/* From PostgreSQL (quarantine_replays), if it was replayed. */
	int64_t replayed_ms;                 /* the last replay, 0: never */
	int     replays;                     /* how many times */
	char    replayed_by[64];
};

/* Every record of the topic, in id order (partition, then offset). */
struct qrec_set {
	struct qrec *v;
	size_t       n, cap;
};

/*
 * Fills r's source, service and error from a record's headers (NULL:
 * none). 0, or -1 if the source (topic, partition, offset) is missing or
 * not well formed: r->known is then false and it cannot be replayed.
 */
int qrec_parse_headers(struct qrec *r, const rd_kafka_headers_t *hdrs);

/* Adds a copy of one message of the quarantine topic (a kq_scan_cb; arg: the qrec_set). */
void qrec_set_add(void *arg, const rd_kafka_message_t *msg);
/* Reads the stack's quarantine topic (qtopic: its full name) into s, in id order. CTL_OK or CTL_FAIL. */
int qrec_set_read(struct qrec_set *s, const char *qtopic) __attribute__((warn_unused_result));
void qrec_set_free(struct qrec_set *s);
/* Puts s in id order (qrec_set_read does). */
void qrec_set_sort_id(struct qrec_set *s);
/* The record with that id, or NULL; s in id order. */
struct qrec *qrec_find(const struct qrec_set *s, int32_t partition, int64_t offset);
/* The records oldest first (time, then id): an array of s->n pointers into s (caller frees). */
struct qrec **qrec_by_time(const struct qrec_set *s);

/* Parses an id "PARTITION:OFFSET" (both decimal, not negative). 0 or -1. */
int qrec_id_parse(const char *s, int32_t *partition, int64_t *offset)
    __attribute__((warn_unused_result));

/*
 * The topic a record may be replayed to, without the prefix: its source
 * if that is one of this stack's topics (prefix followed by a name of
 * ctl_kafka_topics, the quarantine topic excepted), else NULL.
 */
const char *qrec_target(const struct qrec *r, const char *prefix);
/* true if r came from topic (full name, or without prefix); NULL topic: any. */
bool qrec_from(const struct qrec *r, const char *prefix, const char *topic);

/* What `quarantine replay` does with a record. */
enum qrec_choice {
	QREC_REPLAY,     /* put it back on its source topic */
	QREC_OTHER,      /* not from the --topic asked for: left alone */
	QREC_DONE,       /* replayed already: --all leaves it alone */
	QREC_UNKNOWN,    /* its headers do not say where it came from: refused */
	QREC_FOREIGN,    /* its source is not one of this stack's topics: refused */
};
/* The choice for r; all: --all (records replayed already are left alone), else --id. */
enum qrec_choice qrec_choose(const struct qrec *r, const char *prefix, const char *topic, bool all);

#endif
