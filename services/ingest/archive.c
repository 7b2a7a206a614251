/*
 * Archive requests: parse the path, look in the cache, else query on the
 * worker and render there; the loop only sends bytes.
 */
#include "archive.h"

#include <ctype.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_cache.h"
#include "archive_render.h"
#include "db.h"
#include "dbwork.h"
#include "editor_validate.h"
#include "http.h"
#include "ingest.h"
#include "routes.h"
#include "xmalloc.h"

#define TS_ISO "to_char(n.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define TS_LOCAL "to_char(n.sent_at AT TIME ZONE c.time_zone, 'DD/MM/YYYY HH24:MI')"

static const char SQL_COMUNE[] = "SELECT name, archive_base_url FROM comuni WHERE id = $1";
/* $1 comune, $2 limit, $3 offset, $4 one notice id or NULL. Published: fanned
 * out (sent_at), whether or not every message has gone out yet. */
static const char SQL_SENT[] =
    "SELECT n.id, n.title, n.body, n.urgent, " TS_ISO ", " TS_LOCAL " "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id "
    "WHERE n.comune_id = $1 AND n.status IN ('sending', 'sent') AND n.sent_at IS NOT NULL "
    "AND ($4::uuid IS NULL OR n.id = $4::uuid) "
    "ORDER BY n.sent_at DESC, n.id DESC LIMIT $2::int OFFSET $3::int";

enum archive_kind { AK_LIST, AK_NOTICE, AK_FEED };

struct archive_job {
	struct dbw_job job;   /* first */
	struct evhttp_request *req;
	enum archive_kind kind;
	char comune[64];
	char id[UUID_STR_LEN + 1];
	char host[128];
	char cache_key[256];
	int page;
	int code;             /* from the worker: 200, 404, 503 */
	char *body;
};

/* The comune's archive page URL: under its archive_base_url (as the
 * composer links notices), else under this request's host. */
static char *base_url(const char *configured, const char *host, const char *comune)
{
	size_t n = strlen(configured);

	while (n > 0 && configured[n - 1] == '/')
		n--;
	if (n > 0)
		return xasprintf("%.*s/c/%s/avvisi", (int)n, configured, comune);
	return xasprintf("http://%s/c/%s/avvisi", host, comune);
}

/* Reads the rows into pg->items. */
static void load_items(struct archive_page *pg, PGresult *res, size_t max)
{
	size_t n = (size_t)PQntuples(res);

	pg->has_next = n > max;
	pg->nitems = n > max ? max : n;
	pg->items = xcalloc(pg->nitems + 1, sizeof(*pg->items));
	for (size_t r = 0; r < pg->nitems; r++) {
		struct archive_item *it = &pg->items[r];
		snprintf(it->id, sizeof(it->id), "%s", PQgetvalue(res, (int)r, 0));
		it->title = xstrdup(PQgetvalue(res, (int)r, 1));
		it->body = xstrdup(PQgetvalue(res, (int)r, 2));
		it->urgent = PQgetvalue(res, (int)r, 3)[0] == 't';
		snprintf(it->sent_iso, sizeof(it->sent_iso), "%s", PQgetvalue(res, (int)r, 4));
		snprintf(it->sent_local, sizeof(it->sent_local), "%s", PQgetvalue(res, (int)r, 5));
	}
}

/* Worker: the comune, its notices, the document. */
static void archive_work(struct db *db, struct dbw_job *job)
{
	struct archive_job *aj = (struct archive_job *)job;
	struct archive_page pg = { .page = aj->page };
	size_t max = aj->kind == AK_LIST ? ARCHIVE_PAGE_SIZE
	           : aj->kind == AK_FEED ? ARCHIVE_FEED_SIZE : 1;
	char limit[16], offset[16];
	const char *p1[1] = { aj->comune };
	const char *p2[4] = { aj->comune, limit, offset, aj->kind == AK_NOTICE ? aj->id : NULL };
	PGresult *res = db_read(db, SQL_COMUNE, 1, p1);

	aj->code = 503;
	if (res == NULL)
		return;
	if (PQntuples(res) == 0) {
		PQclear(res);
		aj->code = 404;
		return;
	}
	snprintf(pg.comune_id, sizeof(pg.comune_id), "%s", aj->comune);
	pg.comune_name = xstrdup(PQgetvalue(res, 0, 0));
	pg.base_url = base_url(PQgetvalue(res, 0, 1), aj->host, aj->comune);
	PQclear(res);
	snprintf(limit, sizeof(limit), "%zu", max + 1);
	snprintf(offset, sizeof(offset), "%zu", aj->kind == AK_LIST ? (size_t)(aj->page - 1) * max : 0);
	res = db_read(db, SQL_SENT, 4, p2);
	if (res != NULL) {
		load_items(&pg, res, max);
		PQclear(res);
		aj->code = 200;
		if (aj->kind == AK_LIST)
			aj->body = archive_html_list(&pg);
		else if (aj->kind == AK_FEED)
			aj->body = archive_atom(&pg);
		else if (pg.nitems == 1)
			aj->body = archive_html_notice(&pg, &pg.items[0]);
		else
			aj->code = 404;
	}
	archive_page_free(&pg);
}

/* Sends a document (or the Italian error page for code). */
static void archive_send(struct evhttp_request *req, int code, enum archive_kind kind,
                         const char *body)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Content-Security-Policy",
	                  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
	if (code != 200) {
		routes_reply_text(req, code, code == 404 ? "Pagina non trovata.\n"
		                                         : "Servizio non disponibile, riprovare.\n");
		return;
	}
	evhttp_add_header(h, "Cache-Control", "public, max-age=60");
	http_reply_text(req, 200, kind == AK_FEED ? "application/atom+xml; charset=utf-8"
	                                          : "text/html; charset=utf-8", body);
}

static void archive_done(struct dbw_job *job)
{
	struct archive_job *aj = (struct archive_job *)job;
	int code = job->aborted ? 503 : aj->code;

	if (code == 200 || code == 404)
		archive_cache_put(aj->cache_key, code, aj->body);
	archive_send(aj->req, code, aj->kind, aj->body);
	free(aj->body);
	free(aj);
}

/* The request's Host, if it looks like a host name, else "localhost". */
static void request_host(struct evhttp_request *req, char *out, size_t cap)
{
	const char *h = http_header(req, "Host");

	snprintf(out, cap, "%s", "localhost");
	if (h == NULL || *h == '\0' || strlen(h) >= cap)
		return;
	for (const char *p = h; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr(".-:[]", *p) == NULL)
			return;
	snprintf(out, cap, "%s", h);
}

/* ?pagina=N (1 when absent); 0 if invalid. */
static int page_number(struct evhttp_request *req)
{
	const char *q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq kv;
	const char *v;
	char *end;
	long n = 1;

	if (q == NULL)
		return 1;
	if (evhttp_parse_query_str(q, &kv) != 0)
		return 0;
	if ((v = evhttp_find_header(&kv, "pagina")) != NULL) {
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > 100000)
			n = 0;
	}
	evhttp_clear_headers(&kv);
	return (int)n;
}

/* Splits "<comune>/avvisi[.atom|/<id>]" into aj; false if not that shape. */
static bool parse_path(const char *rest, struct archive_job *aj)
{
	const char *slash = strchr(rest, '/');
	size_t n = slash != NULL ? (size_t)(slash - rest) : 0;

	/* Comune ids are lowercase letters, digits and '-': anything else (raw
	 * bytes PostgreSQL would refuse as text among them) is no page. */
	if (slash == NULL || n == 0 || n >= sizeof(aj->comune) ||
	    strspn(rest, "abcdefghijklmnopqrstuvwxyz0123456789-") < n)
		return false;
	memcpy(aj->comune, rest, n);
	aj->comune[n] = '\0';
	rest = slash + 1;
	if (strcmp(rest, "avvisi") == 0 || strcmp(rest, "avvisi/") == 0)
		aj->kind = AK_LIST;
	else if (strcmp(rest, "avvisi.atom") == 0)
		aj->kind = AK_FEED;
	else if (strncmp(rest, "avvisi/", 7) == 0 && editor_uuid_parse(rest + 7, aj->id))
		aj->kind = AK_NOTICE;
	else
		return false;
	return true;
}

bool archive_route(struct ingest *ing, struct evhttp_request *req, const char *path)
{
	const struct archive_hit *hit;
	struct archive_job *aj;

	if (strncmp(path, ARCHIVE_PREFIX, strlen(ARCHIVE_PREFIX)) != 0)
		return false;
	aj = xcalloc(1, sizeof(*aj));
	aj->req = req;
	if (!parse_path(path + strlen(ARCHIVE_PREFIX), aj)) {
		free(aj);
		return false;   /* another /c/ page (the sign-up form) */
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET");
		routes_reply_text(req, 405, "Metodo non consentito.\n");
		free(aj);
		return true;
	}
	if ((aj->page = page_number(req)) == 0) {
		routes_reply_text(req, 404, "Pagina non trovata.\n");
		free(aj);
		return true;
	}
	request_host(req, aj->host, sizeof(aj->host));
	snprintf(aj->cache_key, sizeof(aj->cache_key), "%s|%s|%d|%s|%d", aj->host, aj->comune,
	         (int)aj->kind, aj->id, aj->page);
	if ((hit = archive_cache_get(aj->cache_key)) != NULL) {
		archive_send(req, hit->code, aj->kind, hit->body);
		free(aj);
		return true;
	}
	aj->job.work = archive_work;
	aj->job.done = archive_done;
	if (dbw_submit(ing->dbw, &aj->job) != 0) {
		archive_send(req, 503, aj->kind, NULL);
		free(aj);
	}
	return true;
}
