/*
 * The provider HTTP client: JSON POSTs to the WhatsApp Cloud API or the
 * Telegram Bot API over libcurl multi driven by its own libevent base
 * (no thread per request; keep-alive connections reused, HTTP/2
 * multiplexing where offered, at most max_inflight transfers at once, each with
 * a total timeout). Which URL and which credentials is the caller's
 * business (provider.h).
 */
#ifndef DSP_PCLIENT_H
#define DSP_PCLIENT_H

#include <stdbool.h>
#include <stddef.h>

/* One finished exchange, as reported to pc_done_cb (valid during the call). */
struct pc_response {
	void       *owner;         /* as given to pc_post */
	int         transport;     /* CURLcode: 0 if an HTTP answer came */
	const char *transport_msg;
	long        http_status;   /* 0 if none */
	const char *body;          /* NUL-terminated, may be truncated at 64 KiB */
	size_t      len;
	double      seconds;       /* the exchange's total time, connection included */
};

typedef void (*pc_done_cb)(const struct pc_response *resp, void *arg);

struct pclient;

/* ca_file: PEM CA certificates to trust instead of the system's, or NULL/"" (copied). */
struct pclient *pc_new(long max_inflight, long timeout_ms, const char *ca_file);
void pc_free(struct pclient *cl);
/* true if max_inflight transfers are running. */
bool pc_full(const struct pclient *cl);
int pc_inflight(const struct pclient *cl);
/*
 * Starts one POST of body (application/json) to url. bearer: the token of
 * an "Authorization: Bearer" header, or NULL. body must stay valid until
 * the transfer is reported; url and bearer are copied (and never logged:
 * a Telegram URL holds the bot token). Returns 0, or -1 if the transfer
 * could not start.
 */
int pc_post(struct pclient *cl, const char *url, const char *bearer, const char *body,
            void *owner) __attribute__((warn_unused_result));
/* Runs the client's event loop once, waiting up to timeout_ms for a ready
 * socket or timer; reports each finished transfer. */
void pc_poll(struct pclient *cl, int timeout_ms, pc_done_cb cb, void *arg);

#endif
