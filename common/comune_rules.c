/* The checks of a comune's settings and topics (comune_rules.h). */
#include "comune_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool crule_slug_ok(const char *slug)
{
	size_t n = strlen(slug);

	return n >= 1 && n <= 32 && strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

bool crule_topic_keyword_ok(const char *kw)
{
	size_t n = strlen(kw);

	return n >= 2 && n <= CRULE_KW_MAX &&
	       strspn(kw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == n;
}

/* Base letter of a two-byte UTF-8 Latin-1 letter C3 xx (à, È, ...), or 0. */
static char fold_accent(unsigned char second)
{
	/* U+00C0..U+00DF, then the same row again in lower case. */
	static const char map[33] = "AAAAAA*CEEEEIIIIDNOOOOO*OUUUUY**";

	if (second < 0x80 || second > 0xBF)
		return 0;
	char c = map[(second - 0x80) % 0x20];
	return c == '*' ? 0 : c;
}

int crule_keyword_fold(const char *word, size_t len, char out[CRULE_KW_MAX + 1])
{
	const unsigned char *s = (const unsigned char *)word, *end = s + len;
	size_t n = 0;

	while (s < end && isspace(*s))
		s++;
	while (end > s && isspace(end[-1]))
		end--;
	while (s < end) {
		char c;
		if (*s == 0xC3 && s + 1 < end && fold_accent(s[1]) != 0) {
			c = fold_accent(s[1]);
			s += 2;
		} else {
			c = (char)toupper(*s++);
		}
		if (!isalnum((unsigned char)c) || (unsigned char)c > 127 || n == CRULE_KW_MAX)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* true if word is one of the items of list (separated by any of seps). */
static bool in_list(const char *word, const char *list, const char *seps)
{
	size_t wl = strlen(word);

	for (const char *p = list; *p != '\0';) {
		size_t n = strcspn(p, seps);
		if (n == wl && strncmp(p, word, wl) == 0)
			return true;
		p += n;
		p += strspn(p, seps);
	}
	return false;
}

int crule_keywords_csv(const char *csv, char out[CRULE_KW_LIST_MAX], char bad[64])
{
	size_t n = 0;
	char word[CRULE_KW_MAX + 1];

	out[0] = '\0';
	for (const char *p = csv; *p != '\0';) {
		size_t len = strcspn(p, ",");
		if (crule_keyword_fold(p, len, word) != 0) {
			snprintf(bad, 64, "%.*s", (int)(len < 63 ? len : 63), p);
			return -1;
		}
		if (!in_list(word, out, ",")) {
			if (n + strlen(word) + 2 > CRULE_KW_LIST_MAX) {
				snprintf(bad, 64, "%s", word);
				return -1;
			}
			n += (size_t)snprintf(out + n, CRULE_KW_LIST_MAX - n, "%s%s",
			                      n > 0 ? "," : "", word);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

const char *crule_keyword_clash(const char *kw, const struct crule_lists *l)
{
	static const char *const names[4] = { "join", "leave", "topics", "help" };
	const char *lists[4] = { l->join, l->leave, l->topics, l->help };
	const char *defaults[4] = { CRULE_DEFAULT_JOIN, CRULE_DEFAULT_LEAVE, CRULE_DEFAULT_TOPICS,
		                    CRULE_DEFAULT_HELP };

	for (int i = 0; i < 4; i++) {
		bool custom = lists[i] != NULL && lists[i][0] != '\0';
		if (in_list(kw, custom ? lists[i] : defaults[i], custom ? "," : " "))
			return names[i];
	}
	return in_list(kw, CRULE_RESERVED, " ") ? "reserved" : NULL;
}

bool crule_time_ok(const char *s)
{
	return strlen(s) == 5 && s[2] == ':' && isdigit((unsigned char)s[0]) &&
	       isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[3]) &&
	       isdigit((unsigned char)s[4]) && (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[3] < '6';
}

bool crule_url_ok(const char *s, bool allow_empty)
{
	size_t scheme;

	if (s[0] == '\0')
		return allow_empty;
	if (strncmp(s, "https://", 8) == 0)
		scheme = 8;
	else if (strncmp(s, "http://", 7) == 0)
		scheme = 7;
	else
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return s[scheme] != '\0' && s[scheme] != '/';
}

bool crule_price_ok(const char *s)
{
	size_t whole = strspn(s, "0123456789"), frac = 0;

	if (whole != 1)
		return false;
	if (s[1] == '\0')
		return true;
	if (s[1] != '.')
		return false;
	frac = strspn(s + 2, "0123456789");
	return frac >= 1 && frac <= 4 && s[2 + frac] == '\0';
}
