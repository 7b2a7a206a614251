/*
 * Archive requests (the router parsed the path): look in the cache, else query on the
 * archive's own PostgreSQL worker (ing->dbw_archive: the editors' reads
 * never wait behind it) and render there; the loop only sends bytes.
 * Whatever a client can vary freely (the Host header, query parameters
 * other than pagina, the spelling of pagina's number) is no part of the
 * cache key, so a flood of distinct URLs is answered from the cache; an
 * unknown comune, a page number out of bounds or a page past the last
 * one is answered 404 without asking PostgreSQL; concurrent misses of
 * one key share one query.
 */
#include "archive/archive.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "http.h"
#include "metrics.h"
#include "xmalloc.h"
#include "archive/archive_cache.h"
#include "archive/archive_render.h"
#include "core/dbwork.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/public_style.h"
#include "core/reply.h"

#define TS_ISO "to_char(n.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define TS_LOCAL "to_char(n.sent_at AT TIME ZONE c.time_zone, 'DD/MM/YYYY HH24:MI')"
#define ARCHIVE_WAITERS_MAX 256   /* requests sharing one query at most */

/* The comune and how many notices its archive lists (published: fanned out,
 * sent_at, whether or not every message has gone out yet). */
static const char SQL_COMUNE[] =
    "SELECT c.name, c.archive_base_url, (SELECT count(*) FROM notices n"
    " WHERE n.comune_id = c.id AND n.status IN ('sending', 'sent') AND n.sent_at IS NOT NULL)"
    " FROM comuni c WHERE c.id = $1";
/* $1 comune, $2 limit, $3 offset, $4 one notice id or NULL. */
static const char SQL_SENT[] =
    "SELECT n.id, n.title, n.body, n.urgent, " TS_ISO ", " TS_LOCAL " "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id "
    "WHERE n.comune_id = $1 AND n.status IN ('sending', 'sent') AND n.sent_at IS NOT NULL "
    "AND ($4::uuid IS NULL OR n.id = $4::uuid) "
    "ORDER BY n.sent_at DESC, n.id DESC LIMIT $2::int OFFSET $3::int";

struct archive_job {
	struct dbw_job job;   /* first */
	struct evhttp_request *req;
	enum archive_doc kind;
	char comune[DIR_ID_MAX];
	char id[UUID_STR_LEN + 1];
	const char *public_base;           /* BND_PUBLIC_BASE_URL, may be "" */
	char cache_key[256];
	int page;
	int code;             /* from the worker: 200, 404, 503 */
	int pages;            /* from the worker: the comune's list pages, 0 if not read */
	char *body;
	struct evhttp_request **waiters;   /* asked for the same key meanwhile */
	size_t nwaiters;
	struct archive_job *next;          /* in flight */
};

/* Misses being queried now (loop thread). */
static struct archive_job *inflight;

static struct metric m_queries = METRIC_COUNTER("bnd_ingest_archive_queries_total",
    "public archive requests read from PostgreSQL (cache misses; concurrent ones of one "
    "page count once)");
static struct metric m_memory = METRIC_COUNTER("bnd_ingest_archive_memory_total",
    "public archive requests answered without PostgreSQL (cached, unknown comune, page "
    "out of bounds or past the last, or sharing a query in flight)");
static struct metric m_busy = METRIC_COUNTER("bnd_ingest_archive_busy_total",
    "public archive requests answered 503 because BND_ARCHIVE_QUEUE_MAX were waiting");

void archive_metrics_register(void)
{
	metrics_register(&m_queries);
	metrics_register(&m_memory);
	metrics_register(&m_busy);
}

/* The comune's archive page URL: under its archive_base_url (as the
 * composer links notices), else under the ingest's public base URL, else
 * relative to this server; never from the request's Host header. */
static char *base_url(const char *configured, const char *public_base, const char *comune)
{
	const char *base = *configured != '\0' ? configured : public_base;
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/c/%s/avvisi", (int)n, base, comune);
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
	size_t max = aj->kind == ARCHIVE_LIST ? ARCHIVE_PAGE_SIZE
	           : aj->kind == ARCHIVE_FEED ? ARCHIVE_FEED_SIZE : 1;
	char limit[16], offset[16];
	const char *p1[1] = { aj->comune };
	const char *p2[4] = { aj->comune, limit, offset, aj->kind == ARCHIVE_NOTICE ? aj->id : NULL };
	PGresult *res = db_read(db, SQL_COMUNE, 1, p1);
	long sent;

	aj->code = 503;
	if (res == NULL)
		return;
	if (PQntuples(res) == 0) {
		PQclear(res);
		aj->code = 404;
		return;
	}
	sent = strtol(PQgetvalue(res, 0, 2), NULL, 10);
	aj->pages = sent > 0 ? (int)((sent + ARCHIVE_PAGE_SIZE - 1) / ARCHIVE_PAGE_SIZE) : 1;
	if (aj->kind == ARCHIVE_LIST && aj->page > aj->pages) {
		PQclear(res);
		aj->code = 404;
		return;
	}
	snprintf(pg.comune_id, sizeof(pg.comune_id), "%s", aj->comune);
	pg.comune_name = xstrdup(PQgetvalue(res, 0, 0));
	pg.base_url = base_url(PQgetvalue(res, 0, 1), aj->public_base, aj->comune);
	PQclear(res);
	snprintf(limit, sizeof(limit), "%zu", max + 1);
	snprintf(offset, sizeof(offset), "%zu", aj->kind == ARCHIVE_LIST ? (size_t)(aj->page - 1) * max : 0);
	res = db_read(db, SQL_SENT, 4, p2);
	if (res != NULL) {
		load_items(&pg, res, max);
		PQclear(res);
		aj->code = 200;
		if (aj->kind == ARCHIVE_LIST)
			aj->body = archive_html_list(&pg);
		else if (aj->kind == ARCHIVE_FEED)
			aj->body = archive_atom(&pg);
		else if (pg.nitems == 1)
			aj->body = archive_html_notice(&pg, &pg.items[0]);
		else
			aj->code = 404;
	}
	archive_page_free(&pg);
}

/* Sends a document (or the Italian error page for code). */
static void archive_send(struct evhttp_request *req, int code, enum archive_doc kind,
                         const char *body)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Content-Security-Policy",
	                  "default-src 'none'; style-src 'unsafe-inline'; " PUBLIC_FONT_SRC
	                  "frame-ancestors 'none'");
	if (code != 200) {
		reply_text(req, code, code == 404 ? "Pagina non trovata.\n"
		                                  : "Servizio non disponibile, riprovare.\n");
		return;
	}
	evhttp_add_header(h, "Cache-Control", "public, max-age=60");
	http_reply_text(req, 200, kind == ARCHIVE_FEED ? "application/atom+xml; charset=utf-8"
	                                               : "text/html; charset=utf-8", body);
}

/* The in-flight miss of key, or NULL. */
static struct archive_job *inflight_find(const char *key)
{
	for (struct archive_job *aj = inflight; aj != NULL; aj = aj->next)
		if (strcmp(aj->cache_key, key) == 0)
			return aj;
	return NULL;
}

static void inflight_remove(struct archive_job *aj)
{
	for (struct archive_job **p = &inflight; *p != NULL; p = &(*p)->next)
		if (*p == aj) {
			*p = aj->next;
			return;
		}
}

/* Loop: answers the request and whoever asked for the same meanwhile. */
static void archive_done(struct dbw_job *job)
{
	struct archive_job *aj = (struct archive_job *)job;
	int code = job->aborted ? 503 : aj->code;

	inflight_remove(aj);
	if (code == 200 || code == 404)
		archive_cache_put(aj->cache_key, code, aj->body);
	if (!job->aborted && aj->pages > 0)
		archive_cache_set_pages(aj->comune, aj->pages);
	archive_send(aj->req, code, aj->kind, aj->body);
	for (size_t i = 0; i < aj->nwaiters; i++)
		archive_send(aj->waiters[i], code, aj->kind, aj->body);
	free(aj->waiters);
	free(aj->body);
	free(aj);
}

int archive_page_param(const char *query)
{
	struct evkeyvalq kv;
	const char *v;
	long n = 1;

	if (query == NULL)
		return 1;
	if (evhttp_parse_query_str(query, &kv) != 0)
		return 0;
	if ((v = evhttp_find_header(&kv, "pagina")) != NULL) {
		size_t len = strlen(v);
		/* Digits only (no sign, no blanks), not too many of them. */
		if (len == 0 || len > 9 || strspn(v, "0123456789") != len)
			n = 0;
		else
			n = strtol(v, NULL, 10);
		if (n < 1 || n > ARCHIVE_MAX_PAGE)
			n = 0;
	}
	evhttp_clear_headers(&kv);
	return (int)n;
}

/* The cache key: what names the document, nothing else of the request. */
static void archive_key(struct archive_job *aj)
{
	snprintf(aj->cache_key, sizeof(aj->cache_key), "%s|%d|%s|%d", aj->comune, (int)aj->kind,
	         aj->id, aj->page);
}

/* Answers from memory if it can (cache, unknown comune, a page past the
 * last known one and the one after it); true if it did. */
static bool archive_from_memory(struct ingest *ing, struct archive_job *aj)
{
	const struct archive_hit *hit = archive_cache_get(aj->cache_key);
	int pages;

	if (hit != NULL) {
		archive_send(aj->req, hit->code, aj->kind, hit->body);
		return true;
	}
	if (dir_ready(ing->dir) && !dir_comune_find(ing->dir, aj->comune, NULL)) {
		archive_send(aj->req, 404, aj->kind, NULL);
		return true;
	}
	pages = archive_cache_pages(aj->comune);
	if (aj->kind == ARCHIVE_LIST && pages > 0 && aj->page > pages + 1) {
		archive_send(aj->req, 404, aj->kind, NULL);
		return true;
	}
	return false;
}

void archive_handle(struct ingest *ing, struct evhttp_request *req,
                    const struct route_args *ra)
{
	struct archive_job *aj = xcalloc(1, sizeof(*aj)), *same;

	aj->req = req;
	aj->kind = (enum archive_doc)ra->arg;
	snprintf(aj->comune, sizeof(aj->comune), "%s", ra->comune);
	snprintf(aj->id, sizeof(aj->id), "%s", ra->id);
	aj->page = aj->kind != ARCHIVE_LIST ? 1 : archive_page_param(
	               evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req)));
	if (aj->page == 0) {
		metric_add(&m_memory, 1);
		archive_send(req, 404, aj->kind, NULL);
		free(aj);
		return;
	}
	archive_key(aj);
	if (archive_from_memory(ing, aj)) {
		metric_add(&m_memory, 1);
		free(aj);
		return;
	}
	same = inflight_find(aj->cache_key);
	if (same != NULL && same->nwaiters < ARCHIVE_WAITERS_MAX) {
		metric_add(&m_memory, 1);
		same->waiters = xrealloc(same->waiters, (same->nwaiters + 1) * sizeof(*same->waiters));
		same->waiters[same->nwaiters++] = req;
		free(aj);
		return;
	}
	aj->public_base = ing->public_base;
	aj->job.work = archive_work;
	aj->job.done = archive_done;
	if (dbw_submit(ing->dbw_archive, &aj->job) != 0) {
		metric_add(&m_busy, 1);
		archive_send(req, 503, aj->kind, NULL);
		free(aj);
		return;
	}
	metric_add(&m_queries, 1);
	aj->next = inflight;
	inflight = aj;
}
