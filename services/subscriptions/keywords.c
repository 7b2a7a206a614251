/* Keyword parsing for consent commands. */
#include "keywords.h"

#include <ctype.h>
#include <string.h>

#include "comune_rules.h"
#include "utf8.h"

#define KW_TEXT_MAX 256
#define KW_WORDS_MAX 32

static const char default_join[] = CRULE_DEFAULT_JOIN;
static const char default_leave[] = CRULE_DEFAULT_LEAVE;
static const char default_topics[] = CRULE_DEFAULT_TOPICS;
static const char default_help[] = CRULE_DEFAULT_HELP;

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
	size_t n = 0, start = 0, left = strlen(text);

	while (left > 0 && n + 1 < outlen) {
		size_t len = utf8_seq(s, left);
		if (len == 2 && s[0] == 0xC3 && fold_latin1(s[1]) != 0) {
			out[n++] = fold_latin1(s[1]);
		} else if (len > 1) {
			if (n + len >= outlen)
				break;              /* never half a character */
			memcpy(out + n, s, len);
			n += len;
		} else {
			len = 1;
			out[n++] = (char)toupper(*s);
		}
		s += len;
		left -= len;
	}
	out[n] = '\0';
	/* Trim whitespace and trailing punctuation; a leading '/' is meaningful. */
	while (n > 0 && (isspace((unsigned char)out[n - 1]) || ispunct((unsigned char)out[n - 1])))
		out[--n] = '\0';
	while (isspace((unsigned char)out[start]))
		start++;
	memmove(out, out + start, n - start + 1);
}

/*
 * Decoration: characters that are never part of a keyword, so that
 * "ATTIVA 🙂" or "👉 disattiva" read as the bare command. Code point
 * ranges, beyond ASCII punctuation (see kw_blank).
 */
static const struct kw_range {
	unsigned lo, hi;
} kw_decoration[] = {
	{ 0x00A0, 0x00BF },    /* no-break space, ¡ « » ° ¿ and other Latin-1 signs */
	{ 0x00D7, 0x00D7 },    /* × */
	{ 0x00F7, 0x00F7 },    /* ÷ */
	{ 0x2000, 0x2BFF },    /* spaces, ZWJ, quotes, …, currency, arrows, math, ☀ ✅ ❤ ⬆ */
	{ 0x3000, 0x303F },    /* CJK punctuation */
	{ 0xFE00, 0xFE0F },    /* variation selectors (the emoji form of ❤) */
	{ 0xFF01, 0xFF0F },    /* full-width punctuation */
	{ 0xFFFD, 0xFFFD },    /* the replacement character */
	{ 0x1F000, 0x1FAFF },  /* emoji: faces, hands, skin tones, flags, symbols */
	{ 0xE0000, 0xE007F },  /* tags (regional flags) */
};

/*
 * Courtesy around a command: dropped from the start and the end of a
 * message ("ciao, ATTIVA", "Attiva per favore"), never from the middle.
 * Folded phrases; longer ones first where one begins another.
 */
static const char *const kw_courtesy[] = {
	"PER FAVORE", "PERFAVORE", "PER PIACERE", "PER CORTESIA", "CORTESEMENTE",
	"GRAZIE MILLE", "GRAZIE", "CIAO", "BUONGIORNO", "BUONASERA", "SALVE",
};

/* True if code point cp is decoration. */
static bool kw_is_decoration(unsigned cp)
{
	for (size_t i = 0; i < sizeof(kw_decoration) / sizeof(kw_decoration[0]); i++)
		if (cp >= kw_decoration[i].lo && cp <= kw_decoration[i].hi)
			return true;
	return false;
}

/* Turns decoration, ASCII punctuation (but / @ - _ inside commands and
 * slugs) and invalid bytes into spaces, in place. */
static void kw_blank(char *folded)
{
	unsigned char *p = (unsigned char *)folded;
	size_t left = strlen(folded);

	while (left > 0) {
		size_t len = utf8_seq(p, left);
		bool blank;
		if (len == 1)
			blank = isspace(*p) || (ispunct(*p) && strchr("/@-_", *p) == NULL);
		else
			blank = len == 0 || kw_is_decoration(utf8_decode(p, len));
		if (len == 0)
			len = 1;
		if (blank)
			memset(p, ' ', len);
		p += len;
		left -= len;
	}
}

/* True if the word has a letter or a digit (not only "-" or "@"). */
static bool kw_wordy(const char *w)
{
	for (; *w != '\0'; w++)
		if (isalnum((unsigned char)*w) || (unsigned char)*w >= 0x80)
			return true;
	return false;
}

/* The words of a folded text (pointing into it); false if too many. */
static bool kw_split(char *folded, char *words[KW_WORDS_MAX], size_t *n)
{
	char *save = NULL, *w;

	kw_blank(folded);
	*n = 0;
	for (w = strtok_r(folded, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		if (!kw_wordy(w))
			continue;
		if (*n == KW_WORDS_MAX)
			return false;
		words[(*n)++] = w;
	}
	return true;
}

/* Words of a courtesy phrase at words[at..] (or ending at words[at]
 * when backwards); 0 if none. */
static size_t kw_courtesy_at(char *const *words, size_t n, size_t at, bool backwards)
{
	for (size_t i = 0; i < sizeof(kw_courtesy) / sizeof(kw_courtesy[0]); i++) {
		const char *ph = kw_courtesy[i];
		size_t k = 1 + (strchr(ph, ' ') != NULL), first;
		if (k > n || (backwards ? at + 1 < k : at + k > n))
			continue;
		first = backwards ? at + 1 - k : at;
		if (k == 1 ? strcmp(words[first], ph) == 0
		           : strncmp(ph, words[first], strlen(words[first])) == 0 &&
		             ph[strlen(words[first])] == ' ' &&
		             strcmp(ph + strlen(words[first]) + 1, words[first + 1]) == 0)
			return k;
	}
	return 0;
}

/* Drops courtesy phrases from both ends: words[*from..*to) remain. */
static void kw_trim_courtesy(char *const *words, size_t *from, size_t *to)
{
	size_t k;

	while (*from < *to && (k = kw_courtesy_at(words, *to, *from, false)) > 0)
		*from += k;
	while (*to > *from && (k = kw_courtesy_at(words, *to, *to - 1, true)) > 0 &&
	       *to - k >= *from)
		*to -= k;
}

/* True if word is one of the space-separated words of list. */
static bool in_words(const char *word, const char *list)
{
	size_t n = strlen(word);

	while (list != NULL && *list != '\0') {
		const char *end = strchr(list, ' ');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		if (len == n && strncmp(list, word, n) == 0)
			return true;
		list = end ? end + 1 : NULL;
	}
	return false;
}

/* The comune's list, or the default when it has none. */
static const char *list_or(const char *list, const char *def)
{
	return list != NULL && *list != '\0' ? list : def;
}

/* Case-insensitive equality of a folded word and a slug or keyword. */
static bool same_folded(const char *folded, const char *name)
{
	char f[64];
	kw_fold(name, f, sizeof(f));
	return strcmp(folded, f) == 0;
}

/* Adds the topic named by word; false if no topic has that name. */
static bool add_topic(struct kw_command *cmd, const char *word,
                      const struct kw_topic *topics, size_t ntopics)
{
	if (strcmp(word, "TUTTI") == 0 || strcmp(word, "TUTTE") == 0) {
		cmd->all_topics = true;
		return true;
	}
	for (size_t i = 0; i < ntopics; i++) {
		if (!same_folded(word, topics[i].keyword) && !same_folded(word, topics[i].slug))
			continue;
		for (size_t j = 0; j < cmd->ntopics; j++)
			if (cmd->topics[j] == topics[i].slug)
				return true;
		if (cmd->ntopics < KW_MAX_TOPICS)
			cmd->topics[cmd->ntopics++] = topics[i].slug;
		return true;
	}
	return false;
}

/* The action a Telegram /command names ("/start@bot" = "/start"). */
static enum kw_action slash_action(char *word)
{
	char *at = strchr(word, '@');
	if (at != NULL)
		*at = '\0';
	if (strcmp(word, "/START") == 0 || strcmp(word, "/ATTIVA") == 0)
		return KW_JOIN;
	if (strcmp(word, "/STOP") == 0 || strcmp(word, "/DISATTIVA") == 0)
		return KW_LEAVE;
	if (strcmp(word, "/TEMI") == 0)
		return KW_TOPICS;
	if (strcmp(word, "/AIUTO") == 0 || strcmp(word, "/HELP") == 0)
		return KW_HELP;
	return KW_NONE;
}

/* The action the first word names. */
static enum kw_action first_action(char *word, const struct kw_lists *l)
{
	static const struct kw_lists none;
	if (l == NULL)
		l = &none;
	if (word[0] == '/')
		return slash_action(word);
	if (in_words(word, list_or(l->join, default_join)) || strcmp(word, "CONFERMA") == 0)
		return KW_JOIN;
	if (in_words(word, list_or(l->leave, default_leave)))
		return KW_LEAVE;
	if (in_words(word, list_or(l->topics, default_topics)))
		return KW_TOPICS;
	if (in_words(word, list_or(l->help, default_help)))
		return KW_HELP;
	return KW_NONE;
}

void kw_parse(const char *text, const struct kw_lists *lists,
              const struct kw_topic *topics, size_t ntopics, struct kw_command *out)
{
	char folded[KW_TEXT_MAX], *words[KW_WORDS_MAX];
	size_t n, from = 0;
	enum kw_action first;

	memset(out, 0, sizeof(*out));
	if (text == NULL || strlen(text) >= sizeof(folded))
		return;
	kw_fold(text, folded, sizeof(folded));
	if (!kw_split(folded, words, &n))
		return;
	kw_trim_courtesy(words, &from, &n);
	if (from == n)
		return;
	first = first_action(words[from], lists);
	if (first == KW_NONE) {
		/* Only topic names: a choice of topics. */
		first = KW_CHOOSE;
		if (!add_topic(out, words[from], topics, ntopics))
			return;
	}
	for (size_t i = from + 1; i < n; i++) {
		/* Only a join or a choice may name topics after the command. */
		if ((first != KW_JOIN && first != KW_CHOOSE) || !add_topic(out, words[i], topics, ntopics)) {
			memset(out, 0, sizeof(*out));
			return;
		}
	}
	out->action = first;
}

enum kw_action kw_match(const char *text)
{
	struct kw_command cmd;
	kw_parse(text, NULL, NULL, 0, &cmd);
	return cmd.action == KW_JOIN || cmd.action == KW_LEAVE ? cmd.action : KW_NONE;
}

const char *kw_action_name(enum kw_action a)
{
	static const char *const names[] = { "none", "join", "leave", "topics", "help", "choose" };
	return a <= KW_CHOOSE ? names[a] : "?";
}
