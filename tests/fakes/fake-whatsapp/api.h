/*
 * The send endpoint, POST /<version>/<phone-number-id>/messages:
 * authentication, Meta's validation rules (payload shape, text length,
 * the 24-hour window, approved templates) and the success answer.
 */
#ifndef FAKE_WA_API_H
#define FAKE_WA_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evhttp_request;
struct fake;
struct store;

#define API_TEXT_MAX 4096          /* characters (code points) in text.body */
#define API_PNID_MAX 64

/* An approved template: name, language code, number of body parameters. */
struct api_template {
	char *name;
	char *lang;
	int   nparams;
};

struct api_templates {
	size_t n;
	struct api_template *v;
};

/* Parses "name:lang:count,..." (FAKE_WA_TEMPLATES). NULL with err set if malformed. */
struct api_templates *api_templates_parse(const char *spec, char *err, size_t errlen);
void api_templates_free(struct api_templates *tp);

/*
 * Checks a send request the way the Cloud API does. Returns 0 if it would
 * be accepted, else the Meta error code, with a human explanation in details.
 */
int api_validate(const struct api_templates *tp, const struct store *st,
                 const char *phone_number_id, const json_t *msg, int64_t now_ms,
                 char *details, size_t dlen) __attribute__((warn_unused_result));

/* true if path is "/<version>/<phone-number-id>/messages"; copies the id. */
bool api_match_path(const char *path, char pnid[API_PNID_MAX]);

/* Serves one request to the send endpoint (answers it, maybe after the latency). */
void api_handle_send(struct fake *fk, struct evhttp_request *req, const char *phone_number_id);

#endif
