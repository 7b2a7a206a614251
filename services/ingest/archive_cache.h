/* A small cache of archive answers (loop thread only), ARCHIVE_CACHE_MS each. */
#ifndef BND_ARCHIVE_CACHE_H
#define BND_ARCHIVE_CACHE_H

struct archive_hit {
	int code;
	const char *body;   /* NULL for a 404 */
};

/* A fresh entry for key, or NULL. Valid until the next put. */
const struct archive_hit *archive_cache_get(const char *key);
/* Stores a copy of body (may be NULL) under key. */
void archive_cache_put(const char *key, int code, const char *body);

#endif
