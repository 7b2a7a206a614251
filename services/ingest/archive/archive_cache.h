/*
 * Small caches of the archive (loop thread only): answers by their
 * normalized key (archive.c: comune, kind, notice, page; never anything
 * else the client sent) for ARCHIVE_CACHE_MS, and each comune's number of
 * list pages for ARCHIVE_PAGES_MS, so that a page well past the last is
 * answered 404 without asking PostgreSQL (archive.c allows one page more
 * than known: a notice sent since may have opened it). Bounded: when a
 * cache is full, its oldest entry makes room.
 */
#ifndef BND_ARCHIVE_CACHE_H
#define BND_ARCHIVE_CACHE_H

#define ARCHIVE_PAGES_MS 60000
#define ARCHIVE_ANSWERS_MAX 256   /* answers cached at once */
#define ARCHIVE_COMUNI_MAX 64     /* comuni whose pages are known at once */

struct archive_hit {
	int code;
	const char *body;   /* NULL for a 404 */
};

/* A fresh entry for key, or NULL. Valid until the next put. */
const struct archive_hit *archive_cache_get(const char *key);
/* Stores a copy of body (may be NULL) under key. */
void archive_cache_put(const char *key, int code, const char *body);
/* The comune's list pages (at least 1) as recently learned, or 0 if unknown. */
int archive_cache_pages(const char *comune);
/* Learns the comune's list pages (at least 1). */
void archive_cache_set_pages(const char *comune, int pages);

#endif
