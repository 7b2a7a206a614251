/* Parsing and validation of a web-form sign-up. */
#include "form/form_parse.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "core/json_body.h"

#define FORM_PHONE_INPUT_MAX 40

/* The fields as sent, before validation. */
struct form_fields {
	const char *phone;           /* NULL: absent; "": not a string */
	const char *topics[FORM_TOPICS_MAX + 1];
	size_t ntopics;              /* FORM_TOPICS_MAX + 1: too many */
	bool topics_bad;             /* not a list of strings */
	bool privacy;
};

/* Fills err; returns -1. */
static int form_fail(struct form_error *err, int code, const char *field, const char *message)
{
	err->code = code;
	err->field = field;
	err->message = message;
	return -1;
}

/* true if the media type of ct (parameters ignored) is type. */
static bool media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* A form checkbox or a JSON-ish word meaning yes. */
static bool form_yes(const char *v)
{
	static const char *const yes[] = { "1", "on", "true", "yes", "si", "sì", NULL };

	for (size_t i = 0; yes[i] != NULL; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return true;
	return false;
}

static const char FORM_BAD_TEXT[] = "Il testo inviato contiene caratteri non validi "
                                    "(non è UTF-8).";

/* The form's own name for a field path, "body" for any other. */
static const char *form_field(const char *path)
{
	static const char *const known[] = { "phone", "topics", "privacy" };
	char top[16];

	jbody_top(path, top, sizeof(top));
	if (strcmp(top, "topics[]") == 0)
		return "topics";
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(top, known[i]) == 0)
			return known[i];
	return "body";
}

/* Adds a topic as sent; counts one too many so that it can be refused. */
static void add_topic(struct form_fields *f, const char *slug)
{
	if (f->ntopics <= FORM_TOPICS_MAX)
		f->topics[f->ntopics++] = slug;
}

/* application/x-www-form-urlencoded: phone, topics (repeated), privacy.
 * The strings point into q. */
static int parse_urlencoded(const char *body, struct evkeyvalq *q, struct form_fields *f,
                            struct form_error *err)
{
	if (evhttp_parse_query_str(body, q) != 0)
		return form_fail(err, 400, "body", "Il modulo inviato non è leggibile.");
	for (struct evkeyval *kv = q->tqh_first; kv != NULL; kv = kv->next.tqe_next) {
		/* Checked after percent-decoding: %C3%A0 is "à", %E0 alone is not text. */
		if (!utf8_valid_str(kv->key))
			return form_fail(err, 400, "body", FORM_BAD_TEXT);
		if (!utf8_valid_str(kv->value))
			return form_fail(err, 400, form_field(kv->key), FORM_BAD_TEXT);
		if (strcmp(kv->key, "phone") == 0)
			f->phone = kv->value;
		else if (strcmp(kv->key, "topics") == 0 || strcmp(kv->key, "topics[]") == 0)
			add_topic(f, kv->value);
		else if (strcmp(kv->key, "privacy") == 0)
			f->privacy = form_yes(kv->value);
	}
	return 0;
}

/* JSON {"phone": "...", "topics": ["..."], "privacy": true}. The strings
 * point into *doc. */
static int parse_json(const char *body, size_t len, json_t **doc, struct form_fields *f,
                      struct form_error *err)
{
	const json_t *phone, *topics, *t;
	char path[64];
	size_t i;

	if (jbody_load(body, len, JSON_REJECT_DUPLICATES, doc, path, sizeof(path), NULL) ==
	    JBODY_UTF8)
		return form_fail(err, 400, form_field(path), FORM_BAD_TEXT);
	if (!json_is_object(*doc))
		return form_fail(err, 400, "body", "Il corpo della richiesta non è un oggetto JSON.");
	phone = json_object_get(*doc, "phone");
	if (phone != NULL)
		f->phone = json_is_string(phone) ? json_string_value(phone) : "";
	topics = json_object_get(*doc, "topics");
	if (topics != NULL && !json_is_array(topics) && !json_is_null(topics))
		f->topics_bad = true;
	json_array_foreach(topics, i, t) {
		if (!json_is_string(t))
			f->topics_bad = true;
		else
			add_topic(f, json_string_value(t));
	}
	f->privacy = json_is_true(json_object_get(*doc, "privacy"));
	return 0;
}

/* The comune's topic with this slug, or NULL. */
static const char *topic_of(const struct form_comune *c, const char *slug)
{
	for (size_t i = 0; i < c->ntopics; i++)
		if (strcmp(c->topics[i].slug, slug) == 0)
			return c->topics[i].slug;
	return NULL;
}

/* Checks the fields and fills out. */
static int form_validate(const struct form_fields *f, const struct form_comune *c,
                         struct form_request *out, struct form_error *err)
{
	if (f->phone == NULL || *f->phone == '\0')
		return form_fail(err, 400, "phone", "Indica il numero di cellulare.");
	if (strlen(f->phone) > FORM_PHONE_INPUT_MAX || phone_normalize(f->phone, out->phone) != 0)
		return form_fail(err, 400, "phone", "Il numero di cellulare non è valido.");
	if (!f->privacy)
		return form_fail(err, 400, "privacy",
		                 "Per iscriverti devi dichiarare di aver letto l'informativa "
		                 "sulla privacy.");
	if (f->topics_bad || f->ntopics > FORM_TOPICS_MAX)
		return form_fail(err, 400, "topics", "L'elenco degli argomenti non è valido.");
	for (size_t i = 0; i < f->ntopics; i++) {
		const char *slug = topic_of(c, f->topics[i]);
		bool dup = false;
		if (slug == NULL)
			return form_fail(err, 400, "topics", "Uno degli argomenti scelti non esiste.");
		for (size_t j = 0; j < out->ntopics; j++)
			dup = dup || out->topics[j] == slug;
		if (!dup)
			out->topics[out->ntopics++] = slug;
	}
	out->privacy = true;
	return 0;
}

int form_parse(const char *content_type, const char *body, size_t len,
               const struct form_comune *c, struct form_request *out, struct form_error *err)
{
	struct form_fields f = { 0 };
	struct evkeyvalq q = { 0 };
	json_t *doc = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > FORM_BODY_MAX)
		return form_fail(err, 413, "body", "La richiesta è troppo grande.");
	/* The form is read as a C string: a NUL would end it early. */
	if (memchr(body, '\0', len) != NULL)
		return form_fail(err, 400, "body", "Il modulo inviato non è leggibile.");
	if (content_type != NULL && media_is(content_type, "application/x-www-form-urlencoded")) {
		rc = parse_urlencoded(body, &q, &f, err);
	} else if (content_type != NULL && media_is(content_type, "application/json")) {
		out->json = true;
		rc = parse_json(body, len, &doc, &f, err);
	} else {
		return form_fail(err, 415, "body", "Formato non supportato: usa il modulo o JSON.");
	}
	if (rc == 0)
		rc = form_validate(&f, c, out, err);
	evhttp_clear_headers(&q);
	json_decref(doc);
	return rc;
}
