/*
 * The WhatsApp Cloud API client: request bodies built from jobs, and
 * POST <api base>/<phone-number-id>/messages sent with libcurl multi
 * (keep-alive connections reused, HTTP/2 where offered, at most
 * max_inflight transfers at once, each with a total timeout).
 */
#ifndef DSP_WA_CLIENT_H
#define DSP_WA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"

/* One finished exchange, as reported to wa_done_cb (valid during the call). */
struct wa_response {
	void       *owner;         /* as given to wa_client_start */
	int         transport;     /* CURLcode: 0 if an HTTP answer came */
	const char *transport_msg;
	long        http_status;   /* 0 if none */
	const char *body;          /* NUL-terminated, may be truncated at 64 KiB */
	size_t      len;
};

typedef void (*wa_done_cb)(const struct wa_response *resp, void *arg);

struct wa_client;

/*
 * The request JSON for job (caller frees), exactly as PROVIDERS.md shows,
 * with biz_opaque_callback_data = job id; NULL with err set if the job
 * cannot be sent as it is (no content, bad address, invalid UTF-8).
 */
char *wa_request_build(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen);

struct wa_client *wa_client_new(const char *api_base, long max_inflight, long timeout_ms);
void wa_client_free(struct wa_client *cl);
/* true if max_inflight transfers are running. */
bool wa_client_full(const struct wa_client *cl);
int wa_client_inflight(const struct wa_client *cl);
/*
 * Starts one send. body must stay valid until the transfer is reported;
 * the token is copied. Returns 0, or -1 if the transfer could not start.
 */
int wa_client_start(struct wa_client *cl, const char *sender_account, const char *token,
                    const char *body, void *owner) __attribute__((warn_unused_result));
/* Drives transfers, waiting up to timeout_ms for progress; reports each finished one. */
void wa_client_poll(struct wa_client *cl, int timeout_ms, wa_done_cb cb, void *arg);

#endif
