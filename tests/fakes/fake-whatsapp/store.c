/* In-memory records of the fake: accepted messages, counters, windows. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "xmalloc.h"

#define WINDOW_BUCKETS 4096

/* One open (or expired) window: the time of the last inbound message. */
struct window {
	struct window *next;
	char          *key;        /* "<phone_number_id>/<wa_id>" */
	int64_t        last_ms;
};

/* A pending injected fault. */
struct fault {
	struct fault *next;
	int           code;
	int           http;
	long          count;
	char         *to;          /* NULL: any recipient */
};

struct store {
	json_t        *messages;   /* array of records, in acceptance order */
	long           accepted;
	long           rejected;
	char           id_prefix[17];  /* random per process, so runs never reuse ids */
	unsigned long  id_seq;
	struct fault  *faults;     /* in the order they were added */
	struct window *buckets[WINDOW_BUCKETS];
};

struct store *store_new(void)
{
	struct store *st = xcalloc(1, sizeof(*st));
	st->messages = json_array();
	random_hex(st->id_prefix, 8);
	return st;
}

void store_wamid(struct store *st, char out[STORE_WAMID_LEN])
{
	snprintf(out, STORE_WAMID_LEN, "wamid.HBgL%s%012lX", st->id_prefix, ++st->id_seq);
}

void store_free(struct store *st)
{
	if (st == NULL)
		return;
	store_windows_clear(st);
	store_faults_clear(st);
	json_decref(st->messages);
	free(st);
}

void store_record(struct store *st, json_t *rec)
{
	json_array_append_new(st->messages, rec);
	st->accepted++;
}

void store_reject(struct store *st)
{
	st->rejected++;
}

long store_accepted(const struct store *st)
{
	return st->accepted;
}

long store_rejected(const struct store *st)
{
	return st->rejected;
}

json_t *store_messages(const struct store *st, const char *to)
{
	json_t *out, *rec;
	size_t i;

	if (to == NULL)
		return json_incref(st->messages);
	out = json_array();
	json_array_foreach(st->messages, i, rec) {
		const char *rto = json_string_value(json_object_get(rec, "to"));
		if (rto != NULL && strcmp(rto, to) == 0)
			json_array_append(out, rec);
	}
	return out;
}

void store_clear(struct store *st)
{
	json_array_clear(st->messages);
}

/* FNV-1a over the window key. */
static size_t window_hash(const char *key)
{
	uint32_t h = 2166136261u;
	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % WINDOW_BUCKETS;
}

/* The window of (phone_number_id, wa_id), or NULL. key gets the lookup key. */
static struct window *window_find(const struct store *st, const char *phone_number_id,
                                  const char *wa_id, char **key)
{
	struct window *w;

	*key = xasprintf("%s/%s", phone_number_id, wa_id);
	for (w = st->buckets[window_hash(*key)]; w != NULL; w = w->next)
		if (strcmp(w->key, *key) == 0)
			return w;
	return NULL;
}

void store_window_touch(struct store *st, const char *phone_number_id,
                        const char *wa_id, int64_t now_ms)
{
	char *key;
	struct window *w = window_find(st, phone_number_id, wa_id, &key);

	if (w == NULL) {
		size_t b = window_hash(key);
		w = xcalloc(1, sizeof(*w));
		w->key = key;
		key = NULL;
		w->next = st->buckets[b];
		st->buckets[b] = w;
	}
	if (now_ms > w->last_ms)
		w->last_ms = now_ms;
	free(key);
}

bool store_window_is_open(const struct store *st, const char *phone_number_id,
                          const char *wa_id, int64_t now_ms)
{
	char *key;
	struct window *w = window_find(st, phone_number_id, wa_id, &key);

	free(key);
	return w != NULL && now_ms - w->last_ms < STORE_WINDOW_MS;
}

void store_windows_clear(struct store *st)
{
	for (size_t b = 0; b < WINDOW_BUCKETS; b++) {
		struct window *w = st->buckets[b], *next;
		for (; w != NULL; w = next) {
			next = w->next;
			free(w->key);
			free(w);
		}
		st->buckets[b] = NULL;
	}
}

void store_fault_add(struct store *st, int code, int http, long count, const char *to)
{
	struct fault *f = xcalloc(1, sizeof(*f)), **tail = &st->faults;

	f->code = code;
	f->http = http;
	f->count = count;
	f->to = to && *to ? xstrdup(to) : NULL;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = f;
}

bool store_fault_take(struct store *st, const char *to, int *code, int *http)
{
	struct fault **pp, *f;

	for (pp = &st->faults; (f = *pp) != NULL; pp = &f->next) {
		if (f->to != NULL && (to == NULL || strcmp(f->to, to) != 0))
			continue;
		*code = f->code;
		*http = f->http;
		if (--f->count <= 0) {
			*pp = f->next;
			free(f->to);
			free(f);
		}
		return true;
	}
	return false;
}

void store_faults_clear(struct store *st)
{
	struct fault *f, *next;

	for (f = st->faults; f != NULL; f = next) {
		next = f->next;
		free(f->to);
		free(f);
	}
	st->faults = NULL;
}
