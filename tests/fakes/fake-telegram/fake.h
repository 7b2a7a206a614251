/*
 * fake-telegram: a stand-in for the Telegram Bot API (sendMessage, getMe,
 * setWebhook / deleteWebhook / getWebhookInfo, webhook updates with the
 * secret token header) for tests and benchmarks. One process, one libevent
 * loop, all state in memory.
 */
#ifndef FAKE_TG_FAKE_H
#define FAKE_TG_FAKE_H

#include "fk_server.h"

struct store;
struct throttle;

/* Settings (FAKE_TG_* environment variables, see main.c). */
struct fake_cfg {
	char *log_level;
	char *addr;
	long  port;
	char *token;          /* "<bot id>:<secret>" */
	char *secret;         /* X-Telegram-Bot-Api-Secret-Token (setWebhook changes it) */
	char *webhook_url;    /* "" = none (setWebhook changes it) */
	char *channels;       /* "@name[:id],..." */
	long  latency_ms;
	long  rate;           /* sendMessage/s per bot, above it 429 (0: no limit) */
	long  chat_rate;      /* sendMessage/s per chat (0: no limit) */
	long  chat_burst;
	char *bot_username;
};

/* The process-wide context every handler gets. */
struct fake {
	struct fake_cfg    cfg;
	struct fk_server   srv;      /* the loop and the listener */
	struct store      *store;
	struct throttle   *throttle; /* flood limits (throttle.h) */
	long long          bot_id;   /* the number before ':' in the token */
};

#endif
