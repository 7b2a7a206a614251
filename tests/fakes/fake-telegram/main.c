/*
 * fake-telegram: a Telegram Bot API stand-in for tests and benchmarks.
 * See router.h for the endpoints and docs/providers.md for the behaviour
 * copied ("Telegram: ..." and "What the fakes copy").
 */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fake.h"
#include "log.h"
#include "router.h"
#include "store.h"
#include "throttle.h"

static struct fake fk;

static const struct cfg_item fake_items[] = {
	{ "FAKE_TG_LOG_LEVEL", CFG_STR, "info", 0, 0, "debug, info, warn or error", &fk.cfg.log_level },
	{ "FAKE_TG_ADDR", CFG_STR, "127.0.0.1", 0, 0, "listen address", &fk.cfg.addr },
	{ "FAKE_TG_PORT", CFG_INT, NULL, 1, 65535, "listen port", &fk.cfg.port },
	{ "FAKE_TG_TOKEN", CFG_STR, "7000000001:fake-tg-token", 0, 0,
	  "the bot's token, <bot id>:<secret> (the path /bot<token>/ must carry it)", &fk.cfg.token },
	{ "FAKE_TG_SECRET", CFG_STR, "", 0, 0,
	  "X-Telegram-Bot-Api-Secret-Token sent with every update (empty = none)", &fk.cfg.secret },
	{ "FAKE_TG_WEBHOOK_URL", CFG_STR, "", 0, 0,
	  "http:// URL updates are POSTed to (ingest); empty = don't send", &fk.cfg.webhook_url },
	{ "FAKE_TG_CHANNELS", CFG_STR, "", 0, 0,
	  "public channels the bot may post to, @name[:-100id], comma separated", &fk.cfg.channels },
	{ "FAKE_TG_LATENCY_MS", CFG_INT, "0", 0, 60000,
	  "delay before answering a Bot API request", &fk.cfg.latency_ms },
	{ "FAKE_TG_RATE", CFG_INT, "0", 0, 1000000,
	  "sendMessage calls/s per bot, above it 429 with retry_after (0: no limit; Telegram ~30)",
	  &fk.cfg.rate },
	{ "FAKE_TG_CHAT_RATE", CFG_INT, "0", 0, 1000,
	  "sendMessage calls/s per chat, above it 429 with retry_after (0: no limit; Telegram ~1)",
	  &fk.cfg.chat_rate },
	{ "FAKE_TG_CHAT_BURST", CFG_INT, "3", 1, 1000,
	  "messages to one chat that may come at once", &fk.cfg.chat_burst },
	{ "FAKE_TG_BOT_USERNAME", CFG_STR, "banditore_fake_bot", 0, 0,
	  "the bot's username (getMe, my_chat_member updates)", &fk.cfg.bot_username },
	CFG_END,
};

/* The bot id: the number before ':' in the token. -1 if malformed. */
static long long fake_bot_id(const char *token)
{
	char *end;
	long long id = strtoll(token, &end, 10);

	if (end == token || *end != ':' || end[1] == '\0' || id <= 0)
		return -1;
	return id;
}

int main(int argc, char **argv)
{
	char err[256];
	int rc = 1;

	cfg_main(argc, argv, "fake-telegram", fake_items);
	log_init("fake-telegram", fk.cfg.log_level);
	fk.bot_id = fake_bot_id(fk.cfg.token);
	if (fk.bot_id < 0) {
		log_error("fake.config", "FAKE_TG_TOKEN must be <bot id>:<secret>");
		return 2;
	}
	fk.store = store_new();
	if (store_channels_parse(fk.store, fk.cfg.channels, err, sizeof(err)) != 0) {
		log_error("fake.config", "FAKE_TG_CHANNELS: %s", err);
		store_free(fk.store);
		return 2;
	}
	fk.throttle = throttle_new(&(struct throttle_cfg){ .rate = (double)fk.cfg.rate,
	                                                   .chat_rate = (double)fk.cfg.chat_rate,
	                                                   .chat_burst = (double)fk.cfg.chat_burst });
	if (fk_server_open(&fk.srv) != 0 ||
	    fk_server_listen(&fk.srv, fk.cfg.addr, fk.cfg.port,
	                     EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_DELETE, router_handle,
	                     &fk) != 0)
		goto done;
	log_info("fake.started", "listening on %s:%ld, bot %lld, latency %ld ms", fk.cfg.addr,
	         fk.cfg.port, fk.bot_id, fk.cfg.latency_ms);
	fk_server_run(&fk.srv);
	log_info("fake.stopped", "accepted %ld, rejected %ld, updates %ld",
	         store_accepted(fk.store), store_rejected(fk.store), store_updates(fk.store));
	rc = 0;
done:
	fk_server_close(&fk.srv);
	store_free(fk.store);
	throttle_free(fk.throttle);
	return rc;
}
