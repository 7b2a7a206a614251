/* The fakes' control endpoints; see fk_control.h. */
#include "fk_control.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "xmalloc.h"

bool fk_control_route(const struct fk_route *routes, size_t n, void *fk,
                      struct evhttp_request *req, const char *path)
{
	if (strcmp(path, "/healthz") == 0) {
		fk_control_ok(req);
		return true;
	}
	if (strncmp(path, "/_fake/", 7) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(routes[i].path, path) == 0) {
			routes[i].handle(fk, req);
			return true;
		}
	}
	http_reply_error(req, 404, "not_found", "no such control endpoint");
	return true;
}

void fk_control_ok(struct evhttp_request *req)
{
	http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
}

void fk_control_method(struct evhttp_request *req, const char *allowed)
{
	http_reply_error(req, 405, "method_not_allowed", "use %s", allowed);
}

char *fk_control_query(struct evhttp_request *req, const char *name)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq params;
	const char *v;
	char *out = NULL;

	if (query == NULL || evhttp_parse_query_str(query, &params) != 0)
		return NULL;
	v = evhttp_find_header(&params, name);
	if (v != NULL) {
		while (*v == ' ' || *v == '+')
			v++;
		out = xstrdup(v);
	}
	evhttp_clear_headers(&params);
	return out;
}

json_t *fk_control_body(struct evhttp_request *req, char *err, size_t errlen)
{
	json_error_t jerr;
	size_t len;
	const char *body = http_body(req, &len);
	json_t *in = json_loadb(body, len, 0, &jerr);

	if (in == NULL)
		snprintf(err, errlen, "malformed JSON: %s", jerr.text);
	else if (!json_is_object(in))
		snprintf(err, errlen, "want a JSON object");
	if (!json_is_object(in)) {
		json_decref(in);
		return NULL;
	}
	return in;
}

void fk_control_config(const struct fk_knobs *knobs, void *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char err[256];
	json_t *in = NULL;

	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_POST) {
		fk_control_method(req, "GET or POST");
		return;
	}
	if (cmd == EVHTTP_REQ_POST && ((in = fk_control_body(req, err, sizeof(err))) == NULL ||
	                               knobs->apply(fk, in, err, sizeof(err)) != 0)) {
		http_reply_error(req, 400, "bad_request", "%s", err);
		json_decref(in);
		return;
	}
	json_decref(in);
	http_reply_json(req, 200, knobs->show(fk));
}

int fk_control_keys(const json_t *in, const char *const *known, char *err, size_t errlen)
{
	const char *key;
	json_t *v;

	if (!json_is_object(in)) {
		snprintf(err, errlen, "want a JSON object");
		return -1;
	}
	json_object_foreach((json_t *)in, key, v) {
		size_t i;
		for (i = 0; known[i] != NULL && strcmp(known[i], key) != 0; i++)
			;
		if (known[i] == NULL) {
			int n = snprintf(err, errlen, "unknown knob \"%s\" (known:", key);
			for (i = 0; known[i] != NULL && n > 0 && (size_t)n < errlen; i++)
				n += snprintf(err + n, errlen - (size_t)n, " %s", known[i]);
			if (n > 0 && (size_t)n < errlen)
				snprintf(err + n, errlen - (size_t)n, ")");
			return -1;
		}
	}
	return 0;
}
