/*
 * How citizens give commands on each kind of channel: one entry per
 * channel kind (channel_kind.h). WhatsApp citizens type the comune's
 * keywords (the first of each list, ATTIVA / DISATTIVA by default),
 * Telegram users the bot's /commands; the consent ledger records which
 * (its source). Replies (replies.c) quote the words from here, so adding
 * a kind is one entry. A channel whose kind has no entry is refused when
 * its settings load (settings.h), never answered as another kind.
 */
#ifndef BND_COMMANDS_H
#define BND_COMMANDS_H

#include <stdbool.h>

#include "channel_kind.h"

struct commands {
	channel_kind kind;
	const char *source;    /* consent_events.source of a command: keyword, telegram */
	bool keywords;         /* join and leave are the comune's first keywords ... */
	const char *join;      /* ... when it has some; else these */
	const char *leave;
	const char *topics;    /* the command that lists the topics */
	const char *help;
};

/* The entry of kind, or NULL if citizens cannot write on it. */
const struct commands *commands_of(channel_kind kind);

#endif
