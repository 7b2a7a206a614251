/*
 * Configuration from environment variables (BND_*), one table per
 * service: name, type, default, bounds, help. `<binary> --config` prints
 * the table as Markdown; docs/configuration.md is checked against it.
 */
#ifndef BND_CONFIG_H
#define BND_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cfg_type { CFG_STR, CFG_INT, CFG_BOOL };

struct cfg_item {
	const char   *name;     /* environment variable */
	enum cfg_type type;
	const char   *def;      /* default as text; NULL = required */
	long          min, max; /* bounds for CFG_INT */
	const char   *help;
	void         *dst;      /* char ** | long * | bool * */
};

/* Settings every service shares. */
struct common_cfg {
	char *log_level;
	char *kafka_brokers;
	char *topic_prefix;
	char *pg_dsn;
	long  pg_timeout_ms;
	char *http_addr;
	long  http_port;
	long  drain_timeout_ms;
	long  liveness_stale_s;
	long  poison_retries;   /* consumers: failures alike that make a message's fault */
};

#define CFG_END { NULL, CFG_STR, NULL, 0, 0, NULL, NULL }

/* The shared items, to put at the head of a service's table. */
#define CFG_COMMON_ITEMS(c, default_port)                                              \
	{ "BND_LOG_LEVEL", CFG_STR, "info", 0, 0, "debug, info, warn or error", &(c)->log_level }, \
	{ "BND_KAFKA_BROKERS", CFG_STR, "127.0.0.1:9092", 0, 0, "Kafka bootstrap servers", &(c)->kafka_brokers }, \
	{ "BND_TOPIC_PREFIX", CFG_STR, "", 0, 0, "prefix for every topic name (isolates stacks sharing a broker)", &(c)->topic_prefix }, \
	{ "BND_PG_DSN", CFG_STR, "postgresql://banditore@127.0.0.1:5432/banditore", 0, 0, "PostgreSQL connection string", &(c)->pg_dsn }, \
	{ "BND_PG_TIMEOUT_MS", CFG_INT, "10000", 500, 600000, "a PostgreSQL connection attempt or statement that takes longer is abandoned (the connection dropped) and retried; also the sessions' statement_timeout", &(c)->pg_timeout_ms }, \
	{ "BND_HTTP_ADDR", CFG_STR, "127.0.0.1", 0, 0, "address of the HTTP listener (API or health)", &(c)->http_addr }, \
	{ "BND_HTTP_PORT", CFG_INT, default_port, 1, 65535, "port of the HTTP listener", &(c)->http_port }, \
	{ "BND_DRAIN_TIMEOUT_MS", CFG_INT, "20000", 0, 600000, "on SIGTERM, how long to finish work in flight", &(c)->drain_timeout_ms }, \
	{ "BND_LIVENESS_STALE_S", CFG_INT, "60", 0, 86400, "/healthz fails (503) once a work loop has not made progress for this long, so the orchestrator restarts a stuck process; 0: never", &(c)->liveness_stale_s }

/* The consumers' item (subscriptions, composer, dispatcher). */
#define CFG_POISON_ITEM(c)                                                             \
	{ "BND_POISON_RETRIES", CFG_INT, "8", 2, 1000, "a message whose handling fails the same way this many times in a row (over 3 s at least) while PostgreSQL and Kafka answer is set aside on the quarantine topic; infrastructure failures never count", &(c)->poison_retries }

/* Reads every item from the environment. Returns 0, or -1 with err set. */
int cfg_load(const struct cfg_item *items, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Prints the table as Markdown rows. */
void cfg_print(FILE *out, const struct cfg_item *items);
/*
 * Handles the command line common to all services: --config prints the
 * table and exits 0, --help a usage line. Loads the table or exits 2.
 */
void cfg_main(int argc, char **argv, const char *service,
              const struct cfg_item *items);

#endif
