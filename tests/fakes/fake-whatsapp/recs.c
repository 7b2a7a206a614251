/* Compact records of accepted messages, shared values and the duplicate set. */
#include "recs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define INTERN_BUCKETS 4096
#define TO_MAX 16

/* A shared value: its key text and its JSON form. */
struct ival {
	struct ival *next;
	uint64_t     hash;
	json_t      *json;
	char         key[];
};

/* One accepted message. */
struct rec {
	int64_t            ts_ms;
	unsigned long      seq;
	const struct ival *pnid;
	const struct ival *content;   /* text body (string) or template params (array) */
	const struct ival *tmpl;      /* NULL for text */
	const struct ival *lang;
	char              *opaque;    /* biz_opaque_callback_data or NULL */
	char               to[TO_MAX];
};

struct recs {
	struct rec  *v;
	size_t       n, cap;
	struct ival *interned[INTERN_BUCKETS];
	uint64_t    *seen;             /* open addressing; 0 = empty */
	size_t       seen_n, seen_cap;
};

/* FNV-1a 64 over len bytes, continuing from h. */
static uint64_t fnv64(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

#define FNV64_INIT 14695981039346656037ULL

struct recs *recs_new(void)
{
	return xcalloc(1, sizeof(struct recs));
}

/* The shared value for key (kind letter + text); json is made by make(text) once. */
static const struct ival *intern(struct recs *rs, char kind, const char *text, json_t *(*make)(const char *))
{
	size_t tlen = strlen(text);
	uint64_t h = fnv64(fnv64(FNV64_INIT, &kind, 1), text, tlen);
	struct ival **head = &rs->interned[h % INTERN_BUCKETS], *iv;

	for (iv = *head; iv != NULL; iv = iv->next)
		if (iv->hash == h && iv->key[0] == kind && strcmp(iv->key + 1, text) == 0)
			return iv;
	iv = xmalloc(sizeof(*iv) + tlen + 2);
	iv->hash = h;
	iv->key[0] = kind;
	memcpy(iv->key + 1, text, tlen + 1);
	iv->json = make(text);
	iv->next = *head;
	*head = iv;
	return iv;
}

static json_t *make_string(const char *text)
{
	return json_string(text);
}

static json_t *make_array(const char *text)
{
	return json_loads(text, 0, NULL);
}

/* The body parameter texts of a template message, as compact JSON (caller frees). */
static char *template_params(const json_t *tmpl)
{
	json_t *params = json_array(), *comp, *p;
	size_t i, j;
	char *out;

	json_array_foreach(json_object_get(tmpl, "components"), i, comp) {
		const char *ctype = json_string_value(json_object_get(comp, "type"));
		if (ctype == NULL || strcmp(ctype, "body") != 0)
			continue;
		json_array_foreach(json_object_get(comp, "parameters"), j, p)
			json_array_append(params, json_object_get(p, "text"));
	}
	out = json_dumps(params, JSON_COMPACT);
	json_decref(params);
	return out;
}

/* Adds fingerprint fp to the seen set; false if it was there already. */
static bool seen_add(struct recs *rs, uint64_t fp)
{
	size_t i;

	if (fp == 0)
		fp = 1;
	if ((rs->seen_n + 1) * 2 > rs->seen_cap) {
		uint64_t *old = rs->seen;
		size_t ocap = rs->seen_cap;
		rs->seen_cap = ocap ? ocap * 2 : 1024;
		rs->seen = xcalloc(rs->seen_cap, sizeof(*rs->seen));
		rs->seen_n = 0;
		for (i = 0; i < ocap; i++)
			if (old[i] != 0)
				seen_add(rs, old[i]);
		free(old);
	}
	for (i = fp % rs->seen_cap; rs->seen[i] != 0; i = (i + 1) % rs->seen_cap)
		if (rs->seen[i] == fp)
			return false;
	rs->seen[i] = fp;
	rs->seen_n++;
	return true;
}

bool recs_add(struct recs *rs, const char *pnid, const json_t *msg, unsigned long seq,
              int64_t ts_ms)
{
	const char *type = json_string_value(json_object_get(msg, "type"));
	const char *to = json_string_value(json_object_get(msg, "to"));
	const char *opaque = json_string_value(json_object_get(msg, "biz_opaque_callback_data"));
	struct rec *r;
	uint64_t fp;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		rs->v = xrealloc(rs->v, rs->cap * sizeof(*rs->v));
	}
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->ts_ms = ts_ms;
	r->seq = seq;
	snprintf(r->to, sizeof(r->to), "%s", to ? to : "");
	r->opaque = opaque ? xstrdup(opaque) : NULL;
	r->pnid = intern(rs, 's', pnid, make_string);
	if (type == NULL || strcmp(type, "text") == 0) {
		const char *body = json_string_value(json_object_get(json_object_get(msg, "text"), "body"));
		r->content = intern(rs, 't', body ? body : "", make_string);
	} else {
		const json_t *tmpl = json_object_get(msg, "template");
		const char *name = json_string_value(json_object_get(tmpl, "name"));
		const char *lang = json_string_value(json_object_get(json_object_get(tmpl, "language"), "code"));
		char *params = template_params(tmpl);
		r->content = intern(rs, 'p', params, make_array);
		r->tmpl = intern(rs, 'n', name ? name : "", make_string);
		r->lang = intern(rs, 'l', lang ? lang : "", make_string);
		free(params);
	}
	fp = fnv64(FNV64_INIT, r->to, strlen(r->to) + 1);
	fp = fnv64(fp, &r->content->hash, sizeof(r->content->hash));
	if (r->tmpl != NULL)
		fp = fnv64(fp, &r->tmpl->hash, sizeof(r->tmpl->hash));
	return !seen_add(rs, fp);
}

size_t recs_count(const struct recs *rs)
{
	return rs->n;
}

/* One record as JSON. */
static json_t *rec_json(const struct rec *r, const char *wamid_prefix)
{
	char wamid[80];
	json_t *o;

	snprintf(wamid, sizeof(wamid), "%s%012lX", wamid_prefix, r->seq);
	o = json_pack("{s:O, s:s, s:s, s:s, s:s?, s:I}", "phone_number_id", r->pnid->json,
	              "to", r->to, "type", r->tmpl ? "template" : "text", "wamid", wamid,
	              "biz_opaque_callback_data", r->opaque, "ts_ms", (json_int_t)r->ts_ms);
	if (r->tmpl == NULL) {
		json_object_set(o, "text", r->content->json);
	} else {
		json_object_set(o, "template", r->tmpl->json);
		json_object_set(o, "language", r->lang->json);
		json_object_set(o, "params", r->content->json);
	}
	return o;
}

void recs_dump(const struct recs *rs, const char *to, const char *pnid, const char *wamid_prefix,
               json_t *out)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct rec *r = &rs->v[i];
		if ((to == NULL || strcmp(r->to, to) == 0) &&
		    (pnid == NULL || strcmp(r->pnid->key + 1, pnid) == 0))
			json_array_append_new(out, rec_json(r, wamid_prefix));
	}
}

void recs_clear(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].opaque);
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->cap = 0;
	for (size_t b = 0; b < INTERN_BUCKETS; b++) {
		struct ival *iv = rs->interned[b], *next;
		for (; iv != NULL; iv = next) {
			next = iv->next;
			json_decref(iv->json);
			free(iv);
		}
		rs->interned[b] = NULL;
	}
	free(rs->seen);
	rs->seen = NULL;
	rs->seen_n = rs->seen_cap = 0;
}

void recs_free(struct recs *rs)
{
	if (rs == NULL)
		return;
	recs_clear(rs);
	free(rs);
}
