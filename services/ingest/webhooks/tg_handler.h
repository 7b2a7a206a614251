/*
 * The Telegram webhook, POST /webhooks/telegram/<bot id> (setWebhook is
 * called with that URL and the channel's secret token): the bot names the
 * channel, X-Telegram-Bot-Api-Secret-Token must be the channel's secret,
 * and the update is answered 200 only once Kafka holds its event (any
 * other answer makes Telegram deliver it again).
 */
#ifndef BND_TG_HANDLER_H
#define BND_TG_HANDLER_H

#include "core/route.h"

#define TG_SECRET_HEADER "X-Telegram-Bot-Api-Secret-Token"

/* Registers the Telegram webhook's metrics (once, at start-up). */
void tg_metrics_register(void);
/* POST /webhooks/telegram/<bot_id> (ra->rest): authenticate, normalize, produce, answer
 * after acks. */
void tg_handle_post(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);

#endif
