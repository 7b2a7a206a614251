/* The console's query parameters (console_params.h). */
#include "api/console_params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel_kind.h"
#include "utf8.h"
#include "xmalloc.h"
#include "api/editor_validate.h"

#define LIST_MAX 64

/* Splits s at commas into at most LIST_MAX items (s is modified). -1 if more. */
static int split(char *s, char *items[LIST_MAX], size_t *n)
{
	*n = 0;
	for (char *p = s, *comma; p != NULL; p = comma != NULL ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		if (*n == LIST_MAX)
			return -1;
		items[(*n)++] = p;
	}
	return 0;
}

/* true if items[i] appears before i. */
static bool repeated(char *const *items, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(items[k], items[i]) == 0)
			return true;
	return false;
}

/* true if s holds a control character. */
static bool has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* true if s is a topic the editors' API would take. */
static bool topic_ok(const char *s)
{
	return *s != '\0' && utf8_valid_str(s) && utf8_chars(s) <= NOTICE_TOPIC_MAX &&
	       !has_control(s);
}

/* Parses a comma-separated list whose items ok() accepts into arr. */
static int list_parse(const char *s, const char *field, bool (*ok)(const char *), size_t max,
                      const char *what, struct pgarr *arr, struct editor_error *err)
{
	char *copy, *items[LIST_MAX];
	size_t n;
	int rc = 0;

	if (s == NULL || *s == '\0')
		return 0;
	copy = xstrdup(s);
	if (split(copy, items, &n) != 0 || n > max)
		rc = editor_invalid(err, field, "at most %zu %s", max, field);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!ok(items[i]))
			rc = editor_invalid(err, field, "%s: each must be %s", field, what);
		else if (repeated(items, i))
			rc = editor_invalid(err, field, "%s repeats \"%s\"", field, items[i]);
	}
	if (rc == 0)
		pgarr_add_all(arr, items, n, NULL);
	free(copy);
	return rc;
}

int console_topics_parse(const char *s, struct pgarr *arr, struct editor_error *err)
{
	return list_parse(s, "topics", topic_ok, NOTICE_TOPICS_MAX,
	                  "1 to 64 characters on one line, separated by commas", arr, err);
}

int console_channels_parse(const char *s, struct pgarr *arr, struct editor_error *err)
{
	return list_parse(s, "channels", channel_target_ok, 8, "one of " NOTICE_CHANNELS, arr, err);
}

int console_days_parse(const char *s, int *days, struct editor_error *err)
{
	char *end;
	long n;

	*days = CONSOLE_DAYS_DEFAULT;
	if (s == NULL)
		return 0;
	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || n < 1 || n > CONSOLE_DAYS_MAX)
		return editor_invalid(err, "days", "days must be 1 to %d", CONSOLE_DAYS_MAX);
	*days = (int)n;
	return 0;
}

int console_at_parse(const char *s, long long now_ms, long long *at_ms, struct editor_error *err)
{
	char t[48];

	*at_ms = now_ms;
	if (s == NULL)
		return 0;
	/* An offset's '+' left unencoded in the query arrives as a space. */
	snprintf(t, sizeof(t), "%s", s);
	if (strlen(s) < sizeof(t) && strlen(t) > 19 && t[19] == ' ')
		t[19] = '+';
	if (strlen(s) >= sizeof(t) || !editor_time_parse(t, at_ms))
		return editor_invalid(err, "at",
		                      "at must be an RFC 3339 time, "
		                      "e.g. 2026-12-24T22:30:00+01:00");
	return 0;
}

int console_kind_parse(const char *s, char kind[16], struct editor_error *err)
{
	channel_kind k;

	if (s == NULL || channel_kind_parse(s, &k) != 0)
		return editor_invalid(err, "channel", "channel must be whatsapp or telegram");
	strcpy(kind, channel_kind_name(k));
	return 0;
}
