/* Validation of the small bodies of workflow actions, of RFC 3339 times
 * and of the list's search words. */
#include "api/editor_validate.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pgarr.h"
#include "utf8.h"
#include "xmalloc.h"
#include "core/json_body.h"

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool editor_time_parse(const char *s, long long *ms)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, se, frac = 0, off = 0;
	const char *p = s + 19;
	time_t t;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':')
		return false;
	y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || se < 0 || se > 59)
		return false;
	if (*p == '.') {
		int n = 0;
		for (p++; isdigit((unsigned char)*p); p++, n++)
			if (n < 3)
				frac = frac * 10 + (*p - '0');
		if (n == 0)
			return false;
		for (; n < 3; n++)
			frac *= 10;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		off = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh = digits(p + 1, 2), om = digits(p + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return false;
		off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
	} else {
		return false;
	}
	tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
	tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = se;
	t = timegm(&tm);
	if (tm.tm_mday != d)   /* 31 February and the like */
		return false;
	*ms = ((long long)t - off * 60LL) * 1000 + frac;
	return true;
}

/* The optional or required reason. */
static int check_reason(const json_t *root, bool need, struct action_input *out,
                        struct editor_error *err)
{
	const json_t *v = json_object_get(root, "reason");
	const char *s;
	bool blank = true;

	if (v == NULL || json_is_null(v))
		return need ? editor_invalid(err, "reason", "reason is required: say why") : 0;
	if (!json_is_string(v))
		return editor_invalid(err, "reason", "reason must be a string");
	s = json_string_value(v);
	for (const char *p = s; *p != '\0'; p++)
		if (!isspace((unsigned char)*p))
			blank = false;
	if (need && blank)
		return editor_invalid(err, "reason", "reason must not be empty");
	if (utf8_chars(s) > NOTICE_REASON_MAX)
		return editor_invalid(err, "reason", "reason must be at most %d characters",
		                      NOTICE_REASON_MAX);
	snprintf(out->reason, sizeof(out->reason), "%s", s);
	return 0;
}

/* The optional or required scheduled_at, in the future; null = now (-1). */
static int check_when(const json_t *root, bool need, long long now_ms,
                      struct action_input *out, struct editor_error *err)
{
	const json_t *v = json_object_get(root, "scheduled_at");

	if (v == NULL || json_is_null(v)) {
		if (need)
			return editor_invalid(err, "scheduled_at", "scheduled_at is required");
		/* An explicit null: now, whatever time the author proposed. */
		out->scheduled_at_ms = v != NULL ? -1 : 0;
		return 0;
	}
	if (!json_is_string(v) || !editor_time_parse(json_string_value(v), &out->scheduled_at_ms))
		return editor_invalid(err, "scheduled_at", "scheduled_at must be an RFC 3339 time "
		                      "such as 2026-12-01T08:30:00+01:00");
	if (out->scheduled_at_ms <= now_ms)
		return editor_invalid(err, "scheduled_at", "scheduled_at must be in the future");
	return 0;
}

int editor_action_parse(const void *body, size_t len, bool need_reason, bool need_time,
                        long long now_ms, struct action_input *out, struct editor_error *err)
{
	const json_t *v;
	json_error_t jerr;
	json_t *root;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (len == 0)
		root = json_object();
	else if ((rc = jbody_load(body, len, JSON_DECODE_ANY, &root, err->field,
	                          sizeof(err->field), &jerr)) == JBODY_UTF8)
		return editor_invalid(err, err->field, "%s is not valid UTF-8 text", err->field);
	else if (rc == JBODY_JSON)
		return editor_invalid(err, "", "invalid JSON at line %d column %d: %s", jerr.line,
		                      jerr.column, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return editor_invalid(err, "", "the body must be a JSON object");
	}
	v = json_object_get(root, "version");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 1000000)
			rc = editor_invalid(err, "version", "version must be a positive integer");
		else
			out->version = (int)json_integer_value(v);
	}
	if (rc == 0)
		rc = check_reason(root, need_reason, out, err);
	if (rc == 0)
		rc = check_when(root, need_time, now_ms, out, err);
	json_decref(root);
	return rc;
}

/* One word s[0..n) as the ILIKE pattern "%word%", escaped, into words. */
static void search_word(struct pgarr *words, const char *s, size_t n)
{
	char *pat = xmalloc(2 * n + 3), *p = pat;

	*p++ = '%';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '%' || s[i] == '_')
			*p++ = '\\';
		*p++ = s[i];
	}
	*p++ = '%';
	*p = '\0';
	pgarr_add(words, pat);
	free(pat);
}

int editor_search_parse(const char *s, struct pgarr *words, struct editor_error *err)
{
	static const char space[] = " \t\n\r\v\f";

	memset(err, 0, sizeof(*err));
	if (s == NULL)
		return 0;
	if (!utf8_valid_str(s))
		return editor_invalid(err, "q", "q is not valid UTF-8 text");
	if (utf8_chars(s) > NOTICE_SEARCH_MAX)
		return editor_invalid(err, "q", "q must be at most %d characters",
		                      NOTICE_SEARCH_MAX);
	for (s += strspn(s, space); *s != '\0'; s += strspn(s, space)) {
		size_t n = strcspn(s, space);
		search_word(words, s, n);
		s += n;
	}
	return 0;
}
