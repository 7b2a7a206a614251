/*
 * What the comune answers, in Italian, quoting the commands as citizens
 * type them on the channel's kind (commands.h: WhatsApp keywords,
 * Telegram /commands). Every function returns a new string the caller
 * frees.
 */
#ifndef BND_REPLIES_H
#define BND_REPLIES_H

#include "settings.h"

char *reply_welcome(const struct settings *st, char **topics, size_t ntopics);
char *reply_help(const struct settings *st);
char *reply_topics_list(const struct settings *st);
char *reply_topics_set(const struct settings *st, char **topics, size_t ntopics);
char *reply_already(const struct settings *st);
char *reply_not_subscribed(const struct settings *st);
char *reply_auto(const struct settings *st);

#endif
