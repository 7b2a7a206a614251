/* The console's static files (console_static.h). */
#include "console/console_static.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "core/reply.h"

#define PATH_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/"
/* Scripts and styles of this origin only, no inline code, no framing;
 * data: images and fonts are the ones Bootstrap Italia's CSS embeds. */
#define CSP                                                                                \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "  \
	"font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; " \
	"frame-ancestors 'none'"

char *console_dir; /* set by the configuration (never NULL once loaded) */

static const struct {
	const char *ext;
	const char *type;
} TYPES[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".json", "application/json" },
};

/* true if the segment s (n bytes) may be served: not empty, no leading '.'. */
static bool segment_ok(const char *s, size_t n)
{
	return n > 0 && s[0] != '.';
}

bool console_path(const char *rest, char *out, size_t size)
{
	size_t len = strlen(rest), n;
	const char *s = rest;

	if (strspn(rest, PATH_CHARS) != len || len + sizeof("index.html") > size ||
	    len + sizeof("index.html") > CONSOLE_PATH_MAX)
		return false;
	while (*s != '\0') {
		n = strcspn(s, "/");
		if (!segment_ok(s, n))
			return false;
		s += n;
		if (*s == '/')
			s++;
	}
	snprintf(out, size, "%s%s", rest, len == 0 || rest[len - 1] == '/' ? "index.html" : "");
	return true;
}

const char *console_type(const char *file)
{
	size_t len = strlen(file), n;

	for (size_t i = 0; i < sizeof(TYPES) / sizeof(TYPES[0]); i++) {
		n = strlen(TYPES[i].ext);
		if (len > n && strcmp(file + len - n, TYPES[i].ext) == 0)
			return TYPES[i].type;
	}
	return NULL;
}

/* The headers every answer of the console carries. */
static void add_security_headers(struct evkeyvalq *h)
{
	evhttp_add_header(h, "Content-Security-Policy", CSP);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Referrer-Policy", "same-origin");
}

/* Opens the regular file rel under console_dir: an fd and its size, or -1. */
static int open_file(const char *rel, off_t *size)
{
	char full[PATH_MAX];
	struct stat st;
	int fd;

	if (snprintf(full, sizeof(full), "%s/%s", console_dir, rel) >= (int)sizeof(full))
		return -1;
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			log_warn("console.open", "%s: %s", rel, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	*size = st.st_size;
	return fd;
}

/* Bootstrap Italia's files (bi/) change only with its version: cached;
 * the console's own are checked again at every load. */
static const char *cache_control(const char *rel)
{
	return strncmp(rel, "bi/", 3) == 0 ? "public, max-age=86400" : "no-cache";
}

/* Sends the file fd of size bytes (HEAD: its headers only); takes fd. */
static void send_file(struct evhttp_request *req, int fd, off_t size)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *body = NULL;
	char len[24];

	snprintf(len, sizeof(len), "%lld", (long long)size);
	evhttp_add_header(h, "Content-Length", len);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		close(fd);
	} else if ((body = evbuffer_new()) == NULL || evbuffer_add_file(body, fd, 0, size) != 0) {
		if (body != NULL)
			evbuffer_free(body); /* a file segment not added leaves fd to us */
		close(fd);
		evhttp_remove_header(h, "Content-Length");
		reply_text(req, 503, "Riprova tra poco.\n");
		return;
	}
	evhttp_send_reply(req, 200, "OK", body);
	if (body != NULL)
		evbuffer_free(body);
}

void console_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	char rel[CONSOLE_PATH_MAX];
	const char *type = NULL;
	off_t size = 0;
	int fd = -1;

	add_security_headers(h);
	if (console_dir != NULL && console_dir[0] != '\0' &&
	    console_path(ra->rest, rel, sizeof(rel)) && (type = console_type(rel)) != NULL)
		fd = open_file(rel, &size);
	if (fd < 0) {
		reply_text(req, 404, "Pagina non trovata.\n");
		return;
	}
	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Cache-Control", cache_control(rel));
	send_file(req, fd, size);
}

void console_handle_root(struct ingest *ing, struct evhttp_request *req,
                         const struct route_args *ra)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	add_security_headers(h);
	evhttp_add_header(h, "Location", "/console/");
	reply_text(req, 301, "/console/\n");
}
