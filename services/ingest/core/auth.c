/* API keys of the editors' API (auth.h). */
#include "core/auth.h"

#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "http.h"
#include "log.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/reply.h"

#define BEARER "Bearer "
#define API_KEY_MAX 512

bool auth_api_key(struct ingest *ing, struct evhttp_request *req, struct dir_api_key *key)
{
	const char *h = http_header(req, "Authorization");
	char hash[SHA256_HEX_LEN + 1];
	size_t n;

	if (!dir_ready(ing->dir)) {
		reply_error(req, 503, "directory_unavailable", "API keys not loaded yet");
		return false;
	}
	if (h == NULL || strncasecmp(h, BEARER, strlen(BEARER)) != 0)
		goto unauthorized;
	for (h += strlen(BEARER); *h == ' '; h++)
		;
	n = strlen(h);
	if (n == 0 || n > API_KEY_MAX)
		goto unauthorized;
	sha256_hex(h, n, hash);
	if (!dir_api_key_find(ing->dir, hash, key))
		goto unauthorized;
	return true;
unauthorized:
	metric_add(&im_unauthorized, 1);
	log_warn("editor.unauthorized", "missing or unknown API key");
	evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate", "Bearer");
	reply_json(req, 401, json_pack("{s:s, s:s}", "error", "unauthorized", "message",
	                               "a valid API key is required (Authorization: Bearer <key>)"));
	return false;
}
