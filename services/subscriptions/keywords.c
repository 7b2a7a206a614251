/* Keyword matching for consent commands. */
#include "keywords.h"

#include <ctype.h>
#include <string.h>

static const char *const join_words[] = {
	"ATTIVA", "ATTIVARE", "ISCRIZIONE", "ISCRIVIMI", "ISCRIVI", "START", "/START", NULL,
};
static const char *const leave_words[] = {
	"DISATTIVA", "DISATTIVARE", "STOP", "CANCELLAMI", "CANCELLA", "DISISCRIVIMI",
	"/STOP", NULL,
};

/* Base letter of a two-byte UTF-8 Latin-1 letter (C3 xx), or 0. */
static char fold_latin1(unsigned char second)
{
	/* U+00C0..U+00FF: index = second - 0x80 */
	static const char map[64] =
		"AAAAAAACEEEEIIII" "DNOOOOO*OUUUUYTS"
		"AAAAAAACEEEEIIII" "DNOOOOO/OUUUUYTY";
	if (second < 0x80 || second > 0xBF)
		return 0;
	char c = map[second - 0x80];
	return (c == '*' || c == '/') ? 0 : c;
}

void kw_fold(const char *text, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0;

	while (*s != '\0' && n + 1 < outlen) {
		if (*s == 0xC3 && s[1] != '\0' && fold_latin1(s[1]) != 0) {
			out[n++] = fold_latin1(s[1]);
			s += 2;
		} else {
			out[n++] = (char)toupper(*s++);
		}
	}
	out[n] = '\0';
	/* Trim whitespace and trailing punctuation; leading '/' is meaningful. */
	while (n > 0 && (isspace((unsigned char)out[n - 1]) || ispunct((unsigned char)out[n - 1])))
		out[--n] = '\0';
	size_t start = 0;
	while (isspace((unsigned char)out[start]))
		start++;
	memmove(out, out + start, n - start + 1);
}

/* True if folded equals one of the words. */
static int in_list(const char *folded, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcmp(folded, *words) == 0)
			return 1;
	return 0;
}

enum kw_action kw_match(const char *text)
{
	char folded[64];

	if (text == NULL || strlen(text) >= sizeof(folded))
		return KW_NONE;
	kw_fold(text, folded, sizeof(folded));
	if (in_list(folded, join_words))
		return KW_JOIN;
	if (in_list(folded, leave_words))
		return KW_LEAVE;
	return KW_NONE;
}

const char *kw_action_name(enum kw_action a)
{
	switch (a) {
	case KW_JOIN:
		return "join";
	case KW_LEAVE:
		return "leave";
	default:
		return "none";
	}
}
