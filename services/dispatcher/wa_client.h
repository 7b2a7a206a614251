/*
 * The WhatsApp Cloud API requests: bodies built from jobs, sent as
 * POST <api base>/<phone-number-id>/messages with the channel's access
 * token as a bearer token (by pclient.h).
 */
#ifndef DSP_WA_CLIENT_H
#define DSP_WA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"

/*
 * The request JSON for job (caller frees), exactly as PROVIDERS.md shows,
 * with biz_opaque_callback_data = job id; NULL with err set if the job
 * cannot be sent as it is (no content, bad address, invalid UTF-8).
 */
char *wa_request_build(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen);

/* The send URL of a phone-number id: <api base>/<id>/messages (caller frees). */
char *wa_url(const char *api_base, const char *sender_account);

#endif
