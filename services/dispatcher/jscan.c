/* A JSON scanner for one value of a provider's answer (jscan.h). */
#include "jscan.h"

#include <string.h>

#define JSCAN_DEPTH 32   /* deeper nesting: not scanned (the caller parses) */

/* Where the scan is; p NULL once it met anything it does not take. */
struct jscan {
	const char *p, *end;
};

/* Skips blanks (JSON's four). */
static void jscan_ws(struct jscan *s)
{
	while (s->p != NULL && s->p < s->end &&
	       (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* true if the next (non-blank) byte is c, then taken. */
static bool jscan_eat(struct jscan *s, char c)
{
	jscan_ws(s);
	if (s->p == NULL || s->p >= s->end || *s->p != c)
		return false;
	s->p++;
	return true;
}

/* A string at the cursor: its bytes between the quotes in *str, *n; plain if
 * it has no escape. Control bytes are refused, as JSON does. */
static void jscan_string(struct jscan *s, const char **str, size_t *n, bool *plain)
{
	*str = NULL;
	*n = 0;
	*plain = true;
	if (!jscan_eat(s, '"')) {
		s->p = NULL;
		return;
	}
	*str = s->p;
	while (s->p < s->end && *s->p != '"') {
		if ((unsigned char)*s->p < 0x20) {
			s->p = NULL;
			return;
		}
		if (*s->p == '\\') {   /* skipped, not decoded: such a string is not plain */
			*plain = false;
			if (++s->p >= s->end)
				break;
			if (strchr("\"\\/bfnrt", *s->p) == NULL || *s->p == '\0') {
				s->p = NULL;   /* \u (surrogates, NUL: jansson's rules) or invalid */
				return;
			}
		}
		s->p++;
	}
	if (s->p >= s->end) {
		s->p = NULL;
		return;
	}
	*n = (size_t)(s->p - *str);
	s->p++;
}

static void jscan_value(struct jscan *s, int depth);

/* true if the len bytes at the cursor are word, then taken. */
static bool jscan_word(struct jscan *s, const char *word, size_t len)
{
	if ((size_t)(s->end - s->p) < len || memcmp(s->p, word, len) != 0)
		return false;
	s->p += len;
	return true;
}

/* true if p (before end) is at a decimal digit. */
static bool jscan_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/*
 * true, false, null, or a number: -?(0|[1-9][0-9]*)(.[0-9]+)? of at most 15
 * bytes, which jansson reads without overflow; an exponent or a longer
 * number is left to it.
 */
static void jscan_scalar(struct jscan *s)
{
	const char *start = s->p, *p = s->p, *end = s->end;

	if (jscan_word(s, "true", 4) || jscan_word(s, "false", 5) || jscan_word(s, "null", 4))
		return;
	if (p < end && *p == '-')
		p++;
	if (!jscan_digit(p, end) || (*p == '0' && jscan_digit(p + 1, end))) {
		s->p = NULL;
		return;
	}
	while (jscan_digit(p, end))
		p++;
	if (p < end && *p == '.') {
		if (!jscan_digit(++p, end)) {
			s->p = NULL;
			return;
		}
		while (jscan_digit(p, end))
			p++;
	}
	s->p = p - start <= 15 && !(p < end && (*p == 'e' || *p == 'E')) ? p : NULL;
}

/* An object or an array at the cursor (after its opening byte), skipped. */
static void jscan_members(struct jscan *s, int depth, bool object)
{
	const char *str;
	size_t n;
	bool plain;

	if (jscan_eat(s, object ? '}' : ']'))
		return;
	do {
		if (object) {
			jscan_string(s, &str, &n, &plain);
			if (!jscan_eat(s, ':'))
				s->p = NULL;
		}
		jscan_value(s, depth + 1);
	} while (s->p != NULL && jscan_eat(s, ','));
	if (!jscan_eat(s, object ? '}' : ']'))
		s->p = NULL;
}

/* Any value at the cursor, skipped. */
static void jscan_value(struct jscan *s, int depth)
{
	const char *str;
	size_t n;
	bool plain;

	jscan_ws(s);
	if (s->p == NULL || s->p >= s->end || depth > JSCAN_DEPTH) {
		s->p = NULL;
		return;
	}
	if (*s->p == '"') {
		jscan_string(s, &str, &n, &plain);
	} else if (*s->p == '{' || *s->p == '[') {
		bool object = *s->p++ == '{';
		jscan_members(s, depth, object);
	} else {
		jscan_scalar(s);
	}
}

/* The member key of the object at the cursor (after its '{'): a plain string
 * into out; the rest of the object skipped. */
static bool jscan_member_str(struct jscan *s, const char *key, char *out, size_t outsz)
{
	const char *str, *val;
	size_t n, vn;
	bool plain, found = false;

	if (jscan_eat(s, '}'))
		return false;
	do {
		jscan_string(s, &str, &n, &plain);
		if (s->p == NULL || !jscan_eat(s, ':'))
			return false;
		jscan_ws(s);
		if (plain && n == strlen(key) && memcmp(str, key, n) == 0) {
			if (found || s->p >= s->end || *s->p != '"')
				return false;   /* twice (jansson keeps the last), or not a string */
			jscan_string(s, &val, &vn, &plain);
			if (s->p == NULL || !plain || vn == 0 || vn >= outsz)
				return false;
			for (size_t i = 0; i < vn; i++)
				if ((unsigned char)val[i] >= 0x80)
					return false;   /* UTF-8, maybe invalid: the full path repairs it */
			memcpy(out, val, vn);
			out[vn] = '\0';
			found = true;
		} else {
			jscan_value(s, 2);
		}
	} while (s->p != NULL && jscan_eat(s, ','));
	return s->p != NULL && jscan_eat(s, '}') && found;
}

/* The array at the cursor (after its '['): its first element's member key into out. */
static bool jscan_first_elem(struct jscan *s, const char *key, char *out, size_t outsz)
{
	if (!jscan_eat(s, '{') || !jscan_member_str(s, key, out, outsz))
		return false;
	while (s->p != NULL && jscan_eat(s, ','))
		jscan_value(s, 1);
	return s->p != NULL && jscan_eat(s, ']');
}

bool jscan_first_str(const char *body, size_t len, const char *absent, const char *arr,
                     const char *key, char *out, size_t outsz)
{
	struct jscan s = { body, body + len };
	const char *str;
	size_t n;
	bool plain, found = false;

	if (body == NULL || !jscan_eat(&s, '{'))
		return false;
	do {
		jscan_string(&s, &str, &n, &plain);
		if (s.p == NULL || !plain || !jscan_eat(&s, ':'))
			return false;
		if (n == strlen(absent) && memcmp(str, absent, n) == 0)
			return false;
		if (n == strlen(arr) && memcmp(str, arr, n) == 0) {
			if (found || !jscan_eat(&s, '[') || !jscan_first_elem(&s, key, out, outsz))
				return false;   /* twice, or not the shape looked for */
			found = true;
		} else {
			jscan_value(&s, 1);
		}
	} while (s.p != NULL && jscan_eat(&s, ','));
	if (s.p == NULL || !jscan_eat(&s, '}'))
		return false;
	jscan_ws(&s);
	return found && s.p == s.end;
}
