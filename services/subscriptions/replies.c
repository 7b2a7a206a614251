/* Reply texts. */
#include "replies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmalloc.h"

/* The first word of a keyword list (into buf), or def if the list is empty. */
static const char *first_word(const char *list, const char *def, char buf[64])
{
	size_t n;

	if (list == NULL || *list == '\0')
		return def;
	n = utf8_cut(list, strcspn(list, " "), 63);
	memcpy(buf, list, n);
	buf[n] = '\0';
	return buf;
}

/* The command that joins, as the citizen types it. */
static char *cmd_join(const struct settings *st)
{
	char buf[64];

	return xstrdup(st->cmds->keywords ? first_word(st->kw_join, st->cmds->join, buf)
	                                  : st->cmds->join);
}

/* The command that leaves, as the citizen types it. */
static char *cmd_leave(const struct settings *st)
{
	char buf[64];

	return xstrdup(st->cmds->keywords ? first_word(st->kw_leave, st->cmds->leave, buf)
	                                  : st->cmds->leave);
}

/* "Viabilità, Acqua" from slugs. */
static void put_topic_names(FILE *f, const struct settings *st, char **topics, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", settings_topic_name(st, topics[i]));
}

/* Runs a writer into a new string. */
#define BUILD(f, text, ...)                                   \
	do {                                                      \
		size_t len_;                                          \
		FILE *f = open_memstream(&(text), &len_);             \
		__VA_ARGS__;                                          \
		fclose(f);                                            \
	} while (0)

char *reply_welcome(const struct settings *st, char **topics, size_t ntopics)
{
	char *text;
	BUILD(f, text, {
		fputs(st->welcome, f);
		if (ntopics > 0) {
			fputs("\nTemi scelti: ", f);
			put_topic_names(f, st, topics, ntopics);
			fputc('.', f);
		}
	});
	return text;
}

char *reply_help(const struct settings *st)
{
	char *text, *join = cmd_join(st), *leave = cmd_leave(st);
	BUILD(f, text, {
		fprintf(f, "Servizio avvisi del %s.\n%s per iscriverti, %s per cancellarti",
		        st->comune_name, join, leave);
		if (st->ntopics > 0)
			fprintf(f, ", %s per scegliere gli argomenti", st->cmds->topics);
		fprintf(f, ", %s per questo messaggio.\n", st->cmds->help);
		fputs("Questo canale invia solo avvisi e non risponde a messaggi né a chiamate.", f);
		if (*st->contact)
			fprintf(f, "\n%s", st->contact);
	});
	free(join);
	free(leave);
	return text;
}

char *reply_topics_list(const struct settings *st)
{
	char *text;
	BUILD(f, text, {
		if (st->ntopics == 0) {
			fprintf(f, "Il %s invia ogni avviso a tutti gli iscritti: non ci sono temi da scegliere.",
			        st->comune_name);
		} else {
			fputs("Temi disponibili:", f);
			for (size_t i = 0; i < st->ntopics; i++)
				fprintf(f, "\n- %s: %s", st->topics[i].keyword, st->topics[i].name);
			fprintf(f, "\nScrivi uno o più temi (per esempio %s) per ricevere solo quelli, "
			           "TUTTI per riceverli tutti.", st->topics[0].keyword);
		}
	});
	return text;
}

char *reply_topics_set(const struct settings *st, char **topics, size_t ntopics)
{
	char *text;
	BUILD(f, text, {
		if (ntopics == 0) {
			fputs("Da ora riceverai tutti gli avvisi del Comune.", f);
		} else {
			fputs("Da ora riceverai gli avvisi su: ", f);
			put_topic_names(f, st, topics, ntopics);
			fputs(". Scrivi TUTTI per riceverli tutti.", f);
		}
	});
	return text;
}

char *reply_already(const struct settings *st)
{
	char *text, *leave = cmd_leave(st);
	BUILD(f, text, fprintf(f, "Sei già iscritto agli avvisi del %s. Per cancellarti scrivi %s.",
	                       st->comune_name, leave));
	free(leave);
	return text;
}

char *reply_not_subscribed(const struct settings *st)
{
	char *text, *join = cmd_join(st);
	BUILD(f, text, fprintf(f, "Non risulti iscritto agli avvisi del %s. Per iscriverti scrivi %s.",
	                       st->comune_name, join));
	free(join);
	return text;
}

char *reply_auto(const struct settings *st)
{
	char *text;
	BUILD(f, text, {
		fprintf(f, "Questo canale invia solo gli avvisi del %s e non legge i messaggi.",
		        st->comune_name);
		if (*st->contact)
			fprintf(f, " %s", st->contact);
		fprintf(f, " Scrivi %s per i comandi.", st->cmds->help);
	});
	return text;
}
