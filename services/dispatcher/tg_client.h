/*
 * The Telegram Bot API requests: sendMessage bodies built from jobs, sent
 * as POST <api base>/bot<token>/sendMessage (by pclient.h; the token is
 * in the URL, which is therefore never logged).
 */
#ifndef DSP_TG_CLIENT_H
#define DSP_TG_CLIENT_H

#include <stddef.h>

#include "events.h"

/*
 * The sendMessage JSON for a text job (caller frees):
 *   {"chat_id":<number, or "@channel">,"text":"...","parse_mode":"HTML"
 *    (when the text is HTML),"link_preview_options":{"is_disabled":true}}
 * NULL with err set if the job cannot be sent as it is (not a chat id,
 * no text, a template, invalid UTF-8).
 */
char *tg_request_build(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen);
/* <api base>/bot<token>/sendMessage (caller frees; holds the token). */
char *tg_url(const char *api_base, const char *token);

#endif
