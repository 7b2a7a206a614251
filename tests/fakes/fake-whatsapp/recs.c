/* Compact records of accepted messages, shared values and the duplicate set. */
#include "recs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "xmalloc.h"

#define TO_MAX 16

/* A shared value: its key text (kind letter + text) and its JSON form. */
struct ival {
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
	struct hmap  interned;         /* key -> struct ival */
	struct hmap  seen;             /* "<to> <content> <template>" (allocated) -> itself */
};

struct recs *recs_new(void)
{
	return xcalloc(1, sizeof(struct recs));
}

/* The shared value for key (kind letter + text); json is made by make(text) once. */
static const struct ival *intern(struct recs *rs, char kind, const char *text, json_t *(*make)(const char *))
{
	size_t tlen = strlen(text);
	struct ival *iv = xmalloc(sizeof(*iv) + tlen + 2), *had;

	iv->key[0] = kind;
	memcpy(iv->key + 1, text, tlen + 1);
	had = hmap_get(&rs->interned, iv->key);
	if (had != NULL) {
		free(iv);
		return had;
	}
	iv->json = make(text);
	hmap_put(&rs->interned, iv->key, iv);
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

/* Adds r's recipient and content to the seen set; false if they were there already. */
static bool seen_add(struct recs *rs, const struct rec *r)
{
	/* Interned values are unique: their addresses name the content. */
	char *key = xasprintf("%s %p %p", r->to, (const void *)r->content, (const void *)r->tmpl);

	if (hmap_get(&rs->seen, key) != NULL) {
		free(key);
		return false;
	}
	hmap_put(&rs->seen, key, key);
	return true;
}

bool recs_add(struct recs *rs, const char *pnid, const json_t *msg, unsigned long seq,
              int64_t ts_ms)
{
	const char *type = json_string_value(json_object_get(msg, "type"));
	const char *to = json_string_value(json_object_get(msg, "to"));
	const char *opaque = json_string_value(json_object_get(msg, "biz_opaque_callback_data"));
	struct rec *r;

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
	return !seen_add(rs, r);
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
	const struct hmap_ent *e;
	size_t pos = 0;

	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].opaque);
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->cap = 0;
	while ((e = hmap_next(&rs->interned, &pos)) != NULL) {
		struct ival *iv = e->val;
		json_decref(iv->json);
		free(iv);
	}
	hmap_free(&rs->interned);
	for (pos = 0; (e = hmap_next(&rs->seen, &pos)) != NULL;)
		free(e->val);
	hmap_free(&rs->seen);
}

void recs_free(struct recs *rs)
{
	if (rs == NULL)
		return;
	recs_clear(rs);
	free(rs);
}
