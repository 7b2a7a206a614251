/* Field-by-field validation of notices sent by editors. */
#include "api/editor_validate.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmalloc.h"
#include "core/json_body.h"

/* True if s has only whitespace. */
static bool blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* True if s has a control character; newlines and tabs allowed if multiline. */
static bool has_control(const char *s, bool multiline)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (multiline && (c == '\n' || c == '\t' || c == '\r'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return true;
	}
	return false;
}

/* A required text field of 1..max characters. */
static int check_text(const json_t *root, const char *field, size_t max, bool multiline,
                      char **out, struct editor_error *err)
{
	const json_t *v = json_object_get(root, field);
	const char *s;
	size_t n;

	if (v == NULL || json_is_null(v))
		return editor_invalid(err, field, "%s is required", field);
	if (!json_is_string(v))
		return editor_invalid(err, field, "%s must be a string", field);
	s = json_string_value(v);
	n = utf8_chars(s);
	if (n == 0 || blank(s))
		return editor_invalid(err, field, "%s must not be empty", field);
	if (n > max)
		return editor_invalid(err, field, "%s must be at most %zu characters (got %zu)",
		                      field, max, n);
	if (has_control(s, multiline))
		return editor_invalid(err, field,
		                      multiline ? "%s has control characters"
		                                : "%s must be one line without control characters",
		                      field);
	*out = xstrdup(s);
	return 0;
}

/* The optional topics array: distinct one-line strings. */
static int check_topics(const json_t *root, struct notice_input *in,
                        struct editor_error *err)
{
	const json_t *v = json_object_get(root, "topics"), *t;
	char field[32];
	size_t i;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return editor_invalid(err, "topics", "topics must be an array of strings");
	if (json_array_size(v) > NOTICE_TOPICS_MAX)
		return editor_invalid(err, "topics", "at most %d topics", NOTICE_TOPICS_MAX);
	in->topics = xcalloc(json_array_size(v) + 1, sizeof(char *));
	json_array_foreach(v, i, t) {
		const char *s = json_string_value(t);
		snprintf(field, sizeof(field), "topics[%zu]", i);
		if (s == NULL)
			return editor_invalid(err, field, "%s must be a string", field);
		if (*s == '\0' || blank(s) || utf8_chars(s) > NOTICE_TOPIC_MAX ||
		    has_control(s, false))
			return editor_invalid(err, field, "%s must be 1 to %d characters on one line",
			                      field, NOTICE_TOPIC_MAX);
		for (size_t k = 0; k < in->ntopics; k++)
			if (strcmp(in->topics[k], s) == 0)
				return editor_invalid(err, field, "%s repeats \"%s\"", field, in->topics[k]);
		in->topics[in->ntopics++] = xstrdup(s);
	}
	return 0;
}

/* True if s is one of the space-separated words of list. */
static bool one_of(const char *list, const char *s)
{
	size_t n = strlen(s);

	/* "" would be found everywhere and never advance: the event loop hung
	 * on {"category":""} (found by fuzzing). */
	if (n == 0)
		return false;
	for (const char *p = list; (p = strstr(p, s)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* The optional category: one of migration 0003's. */
static int check_category(const json_t *root, struct notice_input *in,
                          struct editor_error *err)
{
	const json_t *v = json_object_get(root, "category");

	if (v == NULL || json_is_null(v)) {
		in->category = xstrdup("other");
		return 0;
	}
	if (!json_is_string(v) || !one_of(NOTICE_CATEGORIES, json_string_value(v)))
		return editor_invalid(err, "category", "category must be one of: %s",
		                      NOTICE_CATEGORIES);
	in->category = xstrdup(json_string_value(v));
	return 0;
}

/* The optional link: an http(s) URL without spaces or control characters. */
static int check_link(const json_t *root, struct notice_input *in, struct editor_error *err)
{
	const json_t *v = json_object_get(root, "link");
	const char *s;

	if (v == NULL || json_is_null(v)) {
		in->link = xstrdup("");
		return 0;
	}
	if (!json_is_string(v))
		return editor_invalid(err, "link", "link must be a string");
	s = json_string_value(v);
	if (*s != '\0' && strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return editor_invalid(err, "link", "link must start with https:// or http://");
	if (strlen(s) > NOTICE_LINK_MAX)
		return editor_invalid(err, "link", "link must be at most %d bytes", NOTICE_LINK_MAX);
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
			return editor_invalid(err, "link", "link must not contain spaces, quotes or < >");
	in->link = xstrdup(s);
	return 0;
}

/* The optional channels array: distinct channel kinds. */
static int check_channels(const json_t *root, struct notice_input *in,
                          struct editor_error *err)
{
	const json_t *v = json_object_get(root, "channels"), *c;
	char field[32];
	size_t i;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > 3)
		return editor_invalid(err, "channels", "channels must be an array of: %s",
		                      NOTICE_CHANNELS);
	in->channels = xcalloc(json_array_size(v) + 1, sizeof(char *));
	json_array_foreach(v, i, c) {
		const char *s = json_string_value(c);
		snprintf(field, sizeof(field), "channels[%zu]", i);
		if (s == NULL || !one_of(NOTICE_CHANNELS, s))
			return editor_invalid(err, field, "%s must be one of: %s", field, NOTICE_CHANNELS);
		for (size_t k = 0; k < in->nchannels; k++)
			if (strcmp(in->channels[k], s) == 0)
				return editor_invalid(err, field, "%s repeats \"%s\"", field, s);
		in->channels[in->nchannels++] = xstrdup(s);
	}
	return 0;
}

/* The optional "version" (a positive integer) into *version. */
static int check_version(const json_t *root, int *version, struct editor_error *err)
{
	const json_t *v = json_object_get(root, "version");

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000)
		return editor_invalid(err, "version", "version must be a positive integer");
	*version = (int)json_integer_value(v);
	return 0;
}

/* The optional "scheduled_at" (RFC 3339, or null for none). */
static int check_scheduled(const json_t *root, long long *ms, struct editor_error *err)
{
	const json_t *v = json_object_get(root, "scheduled_at");

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !editor_time_parse(json_string_value(v), ms) || *ms <= 0)
		return editor_invalid(err, "scheduled_at", "scheduled_at must be an RFC 3339 time "
		                      "such as 2026-12-01T08:30:00+01:00, or null");
	return 0;
}

int editor_schedule_check(const struct notice_input *in, long long now_ms,
                          struct editor_error *err)
{
	memset(err, 0, sizeof(*err));
	if (in->scheduled_at_ms != 0 && in->scheduled_at_ms <= now_ms)
		return editor_invalid(err, "scheduled_at", "scheduled_at must be in the future");
	return 0;
}

/* Checks every field of a parsed body, in document order of the API. */
static int check_notice(const json_t *root, struct notice_input *in, struct editor_error *err)
{
	const json_t *urgent;

	if (!json_is_object(root))
		return editor_invalid(err, "", "the body must be a JSON object");
	if (check_text(root, "title", NOTICE_TITLE_MAX, false, &in->title, err) != 0 ||
	    check_text(root, "body", NOTICE_BODY_MAX, true, &in->body, err) != 0)
		return -1;
	urgent = json_object_get(root, "urgent");
	if (urgent != NULL && !json_is_null(urgent)) {
		if (!json_is_boolean(urgent))
			return editor_invalid(err, "urgent", "urgent must be true or false");
		in->urgent = json_is_true(urgent);
	}
	if (check_topics(root, in, err) != 0 || check_category(root, in, err) != 0 ||
	    check_link(root, in, err) != 0 || check_channels(root, in, err) != 0 ||
	    check_scheduled(root, &in->scheduled_at_ms, err) != 0)
		return -1;
	return check_version(root, &in->version, err);
}

int editor_notice_parse(const void *body, size_t len, struct notice_input *out,
                        struct editor_error *err)
{
	json_error_t jerr;
	json_t *root;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	switch (jbody_load(body, len, JSON_DECODE_ANY, &root, err->field, sizeof(err->field),
	                   &jerr)) {
	case JBODY_UTF8:
		return editor_invalid(err, err->field, "%s is not valid UTF-8 text", err->field);
	case JBODY_JSON:
		return editor_invalid(err, "", "invalid JSON at line %d column %d: %s",
		                      jerr.line, jerr.column, jerr.text);
	case JBODY_OK:
		break;
	}
	rc = check_notice(root, out, err);
	json_decref(root);
	if (rc != 0)
		editor_notice_free(out);
	return rc;
}

void editor_notice_free(struct notice_input *in)
{
	free(in->title);
	free(in->body);
	for (size_t i = 0; i < in->ntopics; i++)
		free(in->topics[i]);
	free(in->topics);
	free(in->category);
	free(in->link);
	for (size_t i = 0; i < in->nchannels; i++)
		free(in->channels[i]);
	free(in->channels);
	memset(in, 0, sizeof(*in));
}
