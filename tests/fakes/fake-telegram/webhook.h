/*
 * The webhook methods of the Bot API: setWebhook (url, secret_token),
 * deleteWebhook and getWebhookInfo. They change where POST /_fake/update
 * delivers updates and with which X-Telegram-Bot-Api-Secret-Token, as
 * Telegram does. One deviation: the fake accepts http:// URLs (the local
 * stack has no TLS), where Telegram wants HTTPS.
 */
#ifndef FAKE_TG_WEBHOOK_H
#define FAKE_TG_WEBHOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct evhttp_request;
struct fake;

#define WEBHOOK_SECRET_MAX 256

/*
 * Checks setWebhook's parameters: url ("" removes the webhook) and
 * secret_token (up to 256 of A-Z a-z 0-9 _ -; absent or "" = none). Returns 0 with *url and
 * *secret pointing into params (secret "" if absent), or 400 with
 * Telegram's description in desc.
 */
int webhook_check(const json_t *params, const char **url, const char **secret, char *desc,
                  size_t dlen) __attribute__((warn_unused_result));
/* Serves setWebhook, deleteWebhook or getWebhookInfo; false for another method. */
bool webhook_handle(struct fake *fk, struct evhttp_request *req, const char *method,
                    json_t *params);

#endif
