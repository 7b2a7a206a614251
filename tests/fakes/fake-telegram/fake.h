/*
 * fake-telegram: a stand-in for the Telegram Bot API (sendMessage and
 * getMe, webhook updates with the secret token header) for tests and
 * benchmarks. One process, one libevent loop, all state in memory.
 */
#ifndef FAKE_TG_FAKE_H
#define FAKE_TG_FAKE_H

struct event_base;
struct evhttp;
struct store;

/* Settings (FAKE_TG_* environment variables, see main.c). */
struct fake_cfg {
	char *log_level;
	char *addr;
	long  port;
	char *token;          /* "<bot id>:<secret>" */
	char *secret;         /* X-Telegram-Bot-Api-Secret-Token of the webhook */
	char *webhook_url;
	char *channels;       /* "@name[:id],..." */
	long  latency_ms;
	char *bot_username;
};

/* The process-wide context every handler gets. */
struct fake {
	struct fake_cfg    cfg;
	struct event_base *base;
	struct evhttp     *http;
	struct store      *store;
	long long          bot_id;   /* the number before ':' in the token */
};

#endif
