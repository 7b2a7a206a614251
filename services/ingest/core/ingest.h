/*
 * The ingest service's shared context: one per process, owned by main(),
 * used only on the event-loop thread (the directory has its own thread
 * and its own lock).
 */
#ifndef BND_INGEST_H
#define BND_INGEST_H

#include <stdbool.h>

#include "health.h"

struct event_base;
struct evhttp;
struct kq_producer;
struct directory;
struct dbw;
struct connguard;

struct ingest {
	struct event_base  *base;
	struct evhttp      *http;           /* the public listener (API, webhooks, forms) */
	struct evhttp      *health_http;    /* BND_HEALTH_PORT: health and metrics */
	struct connguard   *guard;          /* limits and deadlines of http's connections */
	struct kq_producer *kp;
	struct directory   *dir;
	struct dbw         *dbw;            /* the editors' PostgreSQL work (dbwork.h) */
	struct dbw         *dbw_archive;    /* the public archive's, apart: never in their way */
	struct dbw         *dbw_form;       /* the sign-up form's limits (form_limits.h) */
	struct dbw         *dbw_console;    /* console logins and new passwords: slow hashes */
	struct health       health;
	const char         *verify_token;   /* BND_WA_VERIFY_TOKEN */
	const char         *public_base;    /* BND_PUBLIC_BASE_URL without a trailing '/', or "" */
	long                ack_timeout_ms; /* BND_KAFKA_ACK_TIMEOUT_MS */
	bool                draining;       /* new requests get 503 */
};

#endif
