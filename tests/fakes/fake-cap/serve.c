/* fake-cap's files; see serve.h. */
#include "serve.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"

bool serve_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < 200 && name[0] != '.' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

void serve_etag(const void *data, size_t len, char out[70])
{
	char hex[SHA256_HEX_LEN + 1];

	sha256_hex(data, len, hex);
	snprintf(out, 70, "\"%.32s\"", hex);
}

bool serve_etag_matches(const char *header, const char *etag)
{
	size_t n = strlen(etag);

	if (header == NULL)
		return false;
	for (const char *p = header; *p != '\0';) {
		p += strspn(p, " ,");
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p == '*' || (strncmp(p, etag, n) == 0 && strchr(" ,", p[n]) != NULL))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

static void stats(struct evhttp_request *req, struct serve *s)
{
	json_t *j = json_pack("{s:i, s:i, s:i, s:i, s:i}", "requests", (json_int_t)s->requests,
	                      "served", (json_int_t)s->served, "not_modified",
	                      (json_int_t)s->not_modified, "hung", (json_int_t)s->hung, "missing",
	                      (json_int_t)s->missing);
	char *text = json_dumps(j, 0);
	struct evbuffer *b = evbuffer_new();

	evbuffer_add(b, text, strlen(text));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	free(text);
	json_decref(j);
}

/* The file's bytes (caller frees) and mtime; NULL if it cannot be read. */
static char *read_file(const char *path, size_t *len, time_t *mtime)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL || fstat(fileno(f), &st) != 0) {
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	*len = fread(buf, 1, (size_t)st.st_size, f);
	*mtime = st.st_mtime;
	fclose(f);
	return buf;
}

static void serve_file(struct evhttp_request *req, struct serve *s, const char *name)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	char path[512], etag[70], date[64];
	struct evbuffer *b;
	size_t len;
	time_t mtime;
	struct tm tm;
	char *data;

	snprintf(path, sizeof(path), "%s/%s.hang", s->dir, name);
	if (access(path, F_OK) == 0) {
		s->hung++;
		log_info("fake.hang", "GET /%s: left unanswered", name);
		return;   /* libevent frees the request when the client gives up */
	}
	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	data = read_file(path, &len, &mtime);
	if (data == NULL) {
		s->missing++;
		evhttp_send_error(req, 404, "Not Found");
		return;
	}
	serve_etag(data, len, etag);
	gmtime_r(&mtime, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	evhttp_add_header(out, "ETag", etag);
	evhttp_add_header(out, "Last-Modified", date);
	if (serve_etag_matches(evhttp_find_header(evhttp_request_get_input_headers(req),
	                                          "If-None-Match"), etag)) {
		s->not_modified++;
		evhttp_send_reply(req, 304, "Not Modified", NULL);
	} else {
		s->served++;
		evhttp_add_header(out, "Content-Type", "application/xml; charset=utf-8");
		b = evbuffer_new();
		evbuffer_add(b, data, len);
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
	}
	free(data);
}

void serve_handle(struct evhttp_request *req, void *arg)
{
	struct serve *s = arg;
	const char *uri = evhttp_request_get_uri(req);
	char name[256];
	size_t n;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_send_error(req, 405, "Method Not Allowed");
		return;
	}
	if (strcmp(uri, "/_fake/stats") == 0) {
		stats(req, s);
		return;
	}
	s->requests++;
	n = strcspn(uri + 1, "?#");
	snprintf(name, sizeof(name), "%.*s", (int)(n < 255 ? n : 255), uri + 1);
	if (uri[0] != '/' || !serve_name_ok(name)) {
		evhttp_send_error(req, 404, "Not Found");
		return;
	}
	serve_file(req, s, name);
}
