/* String-keyed open-addressing hash map (hmap.h). */
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

uint64_t hmap_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The index of key's entry, or of the empty entry where it would go. */
static size_t hmap_find(const struct hmap *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;

	while (m->v[i].key != NULL && (m->v[i].hash != h || strcmp(m->v[i].key, key) != 0))
		i = (i + 1) & mask;
	return i;
}

/* Rebuilds the table with cap entries (a power of two). */
static void hmap_grow(struct hmap *m, size_t cap)
{
	struct hmap_ent *old = m->v;
	size_t ocap = m->cap;

	m->v = xcalloc(cap, sizeof(*m->v));
	m->cap = cap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].key != NULL)
			m->v[hmap_find(m, old[i].key, old[i].hash)] = old[i];
	free(old);
}

void *hmap_get(const struct hmap *m, const char *key)
{
	size_t i;

	if (m->n == 0)
		return NULL;
	i = hmap_find(m, key, hmap_hash(key));
	return m->v[i].key != NULL ? m->v[i].val : NULL;
}

void *hmap_put(struct hmap *m, const char *key, void *val)
{
	uint64_t h = hmap_hash(key);
	void *prev;
	size_t i;

	if (4 * (m->n + 1) > 3 * m->cap)
		hmap_grow(m, m->cap ? 2 * m->cap : 16);
	i = hmap_find(m, key, h);
	if (m->v[i].key != NULL) {
		prev = m->v[i].val;
		m->v[i].key = key;
		m->v[i].val = val;
		return prev;
	}
	m->v[i] = (struct hmap_ent){ key, h, val };
	m->n++;
	return NULL;
}

void *hmap_del(struct hmap *m, const char *key)
{
	size_t mask, i, j;
	void *val;

	if (m->n == 0)
		return NULL;
	mask = m->cap - 1;
	i = hmap_find(m, key, hmap_hash(key));
	if (m->v[i].key == NULL)
		return NULL;
	val = m->v[i].val;
	/* Backward shift: move later entries of the run into the hole when
	 * their home is not between the hole and where they are. */
	for (j = (i + 1) & mask; m->v[j].key != NULL; j = (j + 1) & mask) {
		size_t home = (size_t)m->v[j].hash & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->v[i] = m->v[j];
			i = j;
		}
	}
	m->v[i].key = NULL;
	m->n--;
	return val;
}

size_t hmap_size(const struct hmap *m)
{
	return m->n;
}

const struct hmap_ent *hmap_next(const struct hmap *m, size_t *pos)
{
	for (; *pos < m->cap; (*pos)++)
		if (m->v[*pos].key != NULL)
			return &m->v[(*pos)++];
	return NULL;
}

void hmap_free(struct hmap *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}
