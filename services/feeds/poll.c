/* Polling feeds with libcurl multi; see poll.h. */
#include "poll.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "draft.h"
#include "health.h"
#include "hmap.h"
#include "log.h"
#include "metrics.h"
#include "pgarr.h"
#include "shutdown.h"
#include "xmalloc.h"

#define ATOM_ENTRIES_MAX 64
#define SEEN_MAX 5000

static struct metric m_polls = METRIC_COUNTER("bnd_feeds_polls_total", "feed requests made");
static struct metric m_unchanged = METRIC_COUNTER("bnd_feeds_not_modified_total",
                                                  "feed requests answered 304 Not Modified");
static struct metric m_failed = METRIC_COUNTER(
    "bnd_feeds_fetch_failed_total", "feed requests failed: timeout, connection, HTTP error");

void poll_metrics(void)
{
	metrics_register(&m_polls);
	metrics_register(&m_unchanged);
	metrics_register(&m_failed);
	draft_metrics();
}

/* One request in flight: a feed, or an entry of an Atom feed (entry set). */
struct xfer {
	CURL *e;
	struct curl_slist *hdrs;
	struct feed fd;
	bool entry;
	char *body;
	size_t len;
	bool too_big;
	long max;
	char etag[256], last_modified[128];
	struct xfer *next;
};

/* The validators of an Atom entry handled before, by URL: entries are
 * asked conditionally too. Kept in memory (a restart asks each entry once
 * more, and its alert is recorded already), at most SEEN_MAX. */
struct seen {
	char *url;
	char etag[256], last_modified[128];
};

struct poller {
	struct feeds *f;
	CURLM *multi;
	struct xfer *inflight;
	struct hmap seen;
};

static void seen_clear(struct hmap *m)
{
	const struct hmap_ent *e;
	size_t pos = 0;

	while ((e = hmap_next(m, &pos)) != NULL) {
		struct seen *s = e->val;
		free(s->url);
		free(s);
	}
	hmap_free(m);
}

/* Remembers an entry's validators once its document was handled. */
static void seen_note(struct poller *pl, const struct xfer *x)
{
	struct seen *s = hmap_get(&pl->seen, x->fd.url);

	if (x->etag[0] == '\0' && x->last_modified[0] == '\0')
		return;
	if (s == NULL) {
		if (hmap_size(&pl->seen) >= SEEN_MAX)
			seen_clear(&pl->seen);
		s = xcalloc(1, sizeof(*s));
		s->url = xstrdup(x->fd.url);
		hmap_put(&pl->seen, s->url, s);
	}
	snprintf(s->etag, sizeof(s->etag), "%s", x->etag);
	snprintf(s->last_modified, sizeof(s->last_modified), "%s", x->last_modified);
}

static void feed_free(struct feed *fd)
{
	free(fd->url);
	free(fd->etag);
	free(fd->last_modified);
	free(fd->comuni);
	free(fd->min_severity);
	free(fd->event_types);
}

/* src for another URL, with its validators. */
static void feed_copy(struct feed *dst, const struct feed *src, const char *url,
                      const char *etag, const char *last_modified)
{
	dst->id = src->id;
	dst->url = xstrdup(url);
	dst->etag = xstrdup(etag);
	dst->last_modified = xstrdup(last_modified);
	dst->comuni = xstrdup(src->comuni);
	dst->min_severity = xstrdup(src->min_severity);
	dst->event_types = xstrdup(src->event_types);
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t add = size * n;

	if (x->len + add > (size_t)x->max) {
		x->too_big = true;
		return 0;
	}
	x->body = xrealloc(x->body, x->len + add + 1);
	memcpy(x->body + x->len, p, add);
	x->len += add;
	x->body[x->len] = '\0';
	return add;
}

/* Copies a header's value (trimmed) if line is "name: value". */
static void header_value(const char *line, size_t len, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);

	if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return;
	line += nl + 1;
	len -= nl + 1;
	while (len > 0 && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len > 0 && strchr(" \t\r\n", line[len - 1]) != NULL)
		len--;
	if (len < outlen)
		snprintf(out, outlen, "%.*s", (int)len, line);
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;

	header_value(p, size * n, "ETag", x->etag, sizeof(x->etag));
	header_value(p, size * n, "Last-Modified", x->last_modified, sizeof(x->last_modified));
	return size * n;
}

static void start(struct poller *pl, struct xfer *x)
{
	char h[400];

	x->e = curl_easy_init();
	x->max = pl->f->max_bytes;
	if (x->fd.etag[0] != '\0') {
		snprintf(h, sizeof(h), "If-None-Match: %s", x->fd.etag);
		x->hdrs = curl_slist_append(x->hdrs, h);
	}
	if (x->fd.last_modified[0] != '\0') {
		snprintf(h, sizeof(h), "If-Modified-Since: %s", x->fd.last_modified);
		x->hdrs = curl_slist_append(x->hdrs, h);
	}
	curl_easy_setopt(x->e, CURLOPT_URL, x->fd.url);
	curl_easy_setopt(x->e, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(x->e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->e, CURLOPT_TIMEOUT_MS, pl->f->fetch_timeout_ms);
	curl_easy_setopt(x->e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(x->e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(x->e, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(x->e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(x->e, CURLOPT_USERAGENT, "banditore-feeds (CAP 1.2)");
	x->next = pl->inflight;
	pl->inflight = x;
	curl_multi_add_handle(pl->multi, x->e);
	metric_add(&m_polls, 1);
}

static void xfer_free(struct poller *pl, struct xfer *x)
{
	for (struct xfer **pp = &pl->inflight; *pp != NULL; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	curl_multi_remove_handle(pl->multi, x->e);
	curl_easy_cleanup(x->e);
	curl_slist_free_all(x->hdrs);
	feed_free(&x->fd);
	free(x->body);
	free(x);
}

/* How feed_done treats the feed's ETag and Last-Modified. */
enum validators {
	KEEP,     /* as they were: the next poll asks the same way */
	SET,      /* the answer's: the next poll may get a 304 */
	CLEAR,    /* none: the next poll gets the whole feed (an entry must be read again) */
};

/* Records the poll's outcome on the feed. */
static void feed_done(struct poller *pl, const struct xfer *x, const char *status,
                      enum validators v)
{
	char id[24];
	const char *params[5] = { id, v == SET ? x->etag : v == CLEAR ? "" : NULL,
		                  v == SET ? x->last_modified : v == CLEAR ? "" : NULL, status,
		                  instance_id(pl->f->inst) };

	snprintf(id, sizeof(id), "%lld", x->fd.id);
	if (db_cmd(pl->f->db, "UPDATE feeds SET etag = coalesce($2, etag), "
	                      "last_modified = coalesce($3, last_modified), last_status = $4 "
	                      "WHERE id = $1::bigint AND claimed_by = $5::uuid", 5, params) != 0)
		log_warn("feeds.status", "feed %lld: could not record \"%s\"", x->fd.id, status);
}

/* An Atom feed: its entries are fetched in turn. */
static void follow_entries(struct poller *pl, const struct xfer *x, char **links, int n)
{
	for (int i = 0; i < n; i++) {
		CURLU *u = curl_url();
		char *abs = NULL;
		if (i < ATOM_ENTRIES_MAX && curl_url_set(u, CURLUPART_URL, x->fd.url, 0) == CURLUE_OK &&
		    curl_url_set(u, CURLUPART_URL, links[i], 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_URL, &abs, 0) == CURLUE_OK) {
			struct xfer *e = xcalloc(1, sizeof(*e));
			const struct seen *sn = hmap_get(&pl->seen, abs);
			feed_copy(&e->fd, &x->fd, abs, sn != NULL ? sn->etag : "",
			          sn != NULL ? sn->last_modified : "");
			e->entry = true;
			start(pl, e);
		}
		curl_free(abs);
		curl_url_cleanup(u);
		free(links[i]);
	}
	free(links);
}

/* A 200 answer: an Atom feed's entries, or one alert. */
static void got_document(struct poller *pl, struct xfer *x)
{
	char status[400], **links;
	int n = x->entry ? -1 : cap_atom_links(x->body, x->len, &links);
	enum draft_result r;

	if (n >= 0) {
		follow_entries(pl, x, links, n);
		snprintf(status, sizeof(status), "ok (Atom feed, %d entries)", n);
		feed_done(pl, x, status, SET);
		return;
	}
	r = draft_document(pl->f, &x->fd, x->body != NULL ? x->body : "", x->len, status,
	                   sizeof(status));
	if (!x->entry)
		feed_done(pl, x, status, r != DRAFT_RETRY ? SET : KEEP);
	else if (r == DRAFT_RETRY)
		feed_done(pl, x, status, CLEAR);
	else if (r == DRAFT_INVALID)
		feed_done(pl, x, status, KEEP);
	if (x->entry && r != DRAFT_RETRY)
		seen_note(pl, x);
}

static void finished(struct poller *pl, CURL *e, CURLcode cc)
{
	struct xfer *x;
	long code = 0;
	char status[300];

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	if (!instance_fresh(pl->f->inst)) {
		log_warn("feeds.not_fresh", "feed %lld: answer dropped, this instance's lease is not "
		                            "fresh", x->fd.id);
	} else if (cc == CURLE_OK && code == 200) {
		got_document(pl, x);
	} else if (cc == CURLE_OK && code == 304) {
		metric_add(&m_unchanged, 1);
		if (!x->entry)
			feed_done(pl, x, "not_modified", KEEP);
	} else {
		metric_add(&m_failed, 1);
		if (cc != CURLE_OK)
			snprintf(status, sizeof(status), "failed: %s", x->too_big ? "document too large" :
			         curl_easy_strerror(cc));
		else
			snprintf(status, sizeof(status), "failed: HTTP %ld", code);
		log_warn("feeds.fetch_failed", "feed %lld (%s): %s", x->fd.id, x->fd.url, status);
		feed_done(pl, x, status, x->entry ? CLEAR : KEEP);
	}
	xfer_free(pl, x);
}

static const char SQL_CLAIM[] =
    "UPDATE feeds f SET claimed_by = $1::uuid, last_polled_at = now(), "
    "next_poll_at = now() + make_interval(secs => f.interval_s) "
    "WHERE f.id IN (SELECT id FROM feeds WHERE next_poll_at <= now() "
    "AND NOT (id = ANY ($2::bigint[])) AND (claimed_by IS NULL OR claimed_by = $1::uuid "
    "OR NOT instance_live(claimed_by)) ORDER BY next_poll_at LIMIT 16 "
    "FOR UPDATE SKIP LOCKED) RETURNING f.id, f.url, f.etag, f.last_modified, f.comuni::text, "
    "f.min_severity, array_to_string(f.event_types, E'\\n')";

/* Claims the due feeds not in flight and starts their requests. */
static void claim(struct poller *pl)
{
	struct pgarr busy = { 0 };
	const char *params[2] = { instance_id(pl->f->inst), NULL };
	PGresult *res;

	for (struct xfer *x = pl->inflight; x != NULL; x = x->next)
		pgarr_add_int(&busy, x->fd.id, false);
	params[1] = pgarr_end(&busy);
	res = db_exec(pl->f->db, SQL_CLAIM, 2, params);
	pgarr_free(&busy, 1);
	if (res == NULL)
		return;
	for (int r = 0; r < PQntuples(res); r++) {
		struct xfer *x = xcalloc(1, sizeof(*x));
		x->fd.id = atoll(PQgetvalue(res, r, 0));
		x->fd.url = xstrdup(PQgetvalue(res, r, 1));
		x->fd.etag = xstrdup(PQgetvalue(res, r, 2));
		x->fd.last_modified = xstrdup(PQgetvalue(res, r, 3));
		x->fd.comuni = xstrdup(PQgetvalue(res, r, 4));
		x->fd.min_severity = xstrdup(PQgetvalue(res, r, 5));
		x->fd.event_types = xstrdup(PQgetvalue(res, r, 6));
		start(pl, x);
	}
	PQclear(res);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int poll_run(struct feeds *f)
{
	struct poller pl = { f, curl_multi_init(), NULL, { 0 } };
	long long next_claim = 0, next_sweep = 0;
	int running;

	if (pl.multi == NULL)
		return -1;
	log_info("feeds.polling", "polling every %ld ms, requests time out after %ld ms",
	         f->tick_ms, f->fetch_timeout_ms);
	int beat = health_beat_slot("poll");

	while (!shutdown_requested()) {
		CURLMsg *m;
		int left;
		long long now = mono_ms();

		health_beat(beat);
		if (instance_fresh(f->inst) && now >= next_claim) {
			claim(&pl);
			next_claim = now + f->tick_ms;
		}
		if (instance_fresh(f->inst) && now >= next_sweep) {
			(void)draft_expired(f);
			next_sweep = now + 5 * f->tick_ms;
		}
		curl_multi_perform(pl.multi, &running);
		while ((m = curl_multi_info_read(pl.multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE)
				finished(&pl, m->easy_handle, m->data.result);
		curl_multi_poll(pl.multi, NULL, 0, 100, NULL);
	}
	while (pl.inflight != NULL)
		xfer_free(&pl, pl.inflight);
	seen_clear(&pl.seen);
	curl_multi_cleanup(pl.multi);
	return 0;
}
