/* Keyword parsing for consent commands. */
#include "keywords.h"

#include <ctype.h>
#include <string.h>

#define KW_TEXT_MAX 256

static const char default_join[] = "ATTIVA ATTIVARE ISCRIZIONE ISCRIVIMI ISCRIVI START";
static const char default_leave[] = "DISATTIVA DISATTIVARE STOP CANCELLAMI CANCELLA DISISCRIVIMI";
static const char default_topics[] = "TEMI ARGOMENTI";
static const char default_help[] = "AIUTO INFO HELP";

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
	size_t n = 0, start = 0;

	while (*s != '\0' && n + 1 < outlen) {
		if (*s == 0xC3 && s[1] != '\0' && fold_latin1(s[1]) != 0) {
			out[n++] = fold_latin1(s[1]);
			s += 2;
		} else {
			out[n++] = (char)toupper(*s++);
		}
	}
	out[n] = '\0';
	/* Trim whitespace and trailing punctuation; a leading '/' is meaningful. */
	while (n > 0 && (isspace((unsigned char)out[n - 1]) || ispunct((unsigned char)out[n - 1])))
		out[--n] = '\0';
	while (isspace((unsigned char)out[start]))
		start++;
	memmove(out, out + start, n - start + 1);
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
	char folded[KW_TEXT_MAX], *save = NULL, *word;
	enum kw_action first;

	memset(out, 0, sizeof(*out));
	if (text == NULL || strlen(text) >= sizeof(folded))
		return;
	kw_fold(text, folded, sizeof(folded));
	for (char *p = folded; *p != '\0'; p++)
		if (*p == ',' || *p == ';' || *p == '\t' || *p == '\n')
			*p = ' ';
	word = strtok_r(folded, " ", &save);
	if (word == NULL)
		return;
	first = first_action(word, lists);
	if (first == KW_NONE) {
		/* Only topic names: a choice of topics. */
		first = KW_CHOOSE;
		if (!add_topic(out, word, topics, ntopics))
			return;
	}
	while ((word = strtok_r(NULL, " ", &save)) != NULL) {
		/* Only a join or a choice may name topics after the command. */
		if ((first != KW_JOIN && first != KW_CHOOSE) || !add_topic(out, word, topics, ntopics)) {
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
