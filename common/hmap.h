/*
 * A hash map from strings to pointers: open addressing with linear
 * probing (FNV-1a), deletion by backward shift (no tombstones), grown
 * at 3/4 full. Keys are borrowed: each must stay valid and unchanged
 * while its entry is in the map (typically a field of the value).
 * Not thread-safe.
 */
#ifndef BND_HMAP_H
#define BND_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_ent {
	const char *key;    /* NULL: empty */
	uint64_t    hash;
	void       *val;
};

struct hmap {
	struct hmap_ent *v;
	size_t           cap, n;
};

/* FNV-1a of a string (also for callers that shard by it). */
uint64_t hmap_hash(const char *s);
/* The value for key, or NULL. */
void *hmap_get(const struct hmap *m, const char *key);
/* Sets key's value (replacing any); returns the value it replaced, or NULL. */
void *hmap_put(struct hmap *m, const char *key, void *val);
/* Removes key; returns its value, or NULL if absent. */
void *hmap_del(struct hmap *m, const char *key);
size_t hmap_size(const struct hmap *m);
/* Iteration: the entry after position *pos (start with 0), or NULL at the
 * end. The map must not change during an iteration. */
const struct hmap_ent *hmap_next(const struct hmap *m, size_t *pos);
/* Frees the table (not keys or values); the map is empty and usable again. */
void hmap_free(struct hmap *m);

#endif
