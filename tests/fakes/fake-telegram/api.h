/*
 * The Bot API endpoint, /bot<token>/<method>: the token, then getMe,
 * the webhook methods (webhook.h) or sendMessage with the Bot API's rules (who may be written to, the text
 * after entity parsing, parse modes, link preview options) and its
 * answers. Parameters come from the query string, a JSON body or a
 * form-encoded body, as the Bot API accepts them.
 */
#ifndef FAKE_TG_API_H
#define FAKE_TG_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct evhttp_request;
struct fake;
struct store;

#define API_TEXT_MAX 4096     /* after entity parsing, in UTF-16 code units */
#define API_TOKEN_MAX 128
#define API_METHOD_MAX 64
#define API_CHAT_MAX 64

/* A sendMessage that the Bot API would accept. */
struct api_send {
	char        chat_key[API_CHAT_MAX];  /* chat_id as sent: "123", "@name", "-100..." */
	long long   chat_id;                 /* resolved */
	bool        channel;                 /* a channel post, not a private chat */
	const char *channel_name;            /* "@name" for a channel */
	const char *sent_text;               /* text as sent (points into params) */
	char       *text;                    /* after parsing and trimming (owned) */
	const char *parse_mode;              /* NULL if none */
	bool        silent;                  /* disable_notification */
	bool        no_preview;              /* link_preview_options.is_disabled */
};

/* true if path is "/bot<token>/<method>"; copies both. */
bool api_match_path(const char *path, char token[API_TOKEN_MAX], char method[API_METHOD_MAX]);
/*
 * The chat_id parameter as a key for faults and records ("123", "@name");
 * false if absent or empty.
 */
bool api_chat_key(const json_t *params, char key[API_CHAT_MAX]);
/*
 * Checks sendMessage parameters against the store. Returns 0 and fills
 * *out (free out->text), or the HTTP status / error_code with Telegram's
 * description in desc.
 */
int api_check_send(const struct store *st, const json_t *params, struct api_send *out,
                   char *desc, size_t dlen) __attribute__((warn_unused_result));
/* Serves one request to /bot<token>/<method>. */
void api_handle(struct fake *fk, struct evhttp_request *req, const char *token,
                const char *method);

#endif
