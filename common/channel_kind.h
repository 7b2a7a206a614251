/*
 * Channel kinds, parsed in one place. A kind has a name, written in
 * channels.kind, in notices' channel lists, in logs and in JSON
 * ("whatsapp", "telegram"), and a value, the ChannelKind of
 * proto/banditore.proto that events carry. A name or value that is no
 * kind is refused here, never taken for another kind: code that acts per
 * kind parses with these functions and then picks its entry from a table
 * with one entry per kind (the composer's rendition.c, subscriptions'
 * commands.c, and the dispatcher's providers), so a kind a service does
 * not know is seen as such.
 *
 * A notice names what it goes to with targets: a kind's name (that kind's
 * subscribers) or a kind's post target ("telegram_channel": one post on
 * the channel's public Telegram channel). None = every one of the
 * comune's channels.
 *
 * Adding a kind: a value in ChannelKind, an entry in kinds[] of
 * channel_kind.c, the name in the CHECK of channels.kind (a migration);
 * then the per-kind tables of the services (docs/architecture.md,
 * "Adding a provider").
 * Pure functions on constant data: safe from any thread.
 */
#ifndef BND_CHANNEL_KIND_H
#define BND_CHANNEL_KIND_H

#include <stdbool.h>

#include "banditore.pb-c.h"

typedef Banditore__V1__ChannelKind channel_kind;

/* The kind called name; 0 with *kind set, or -1 (*kind untouched) if name
 * (NULL or not) is no kind's name. */
int channel_kind_parse(const char *name, channel_kind *kind) __attribute__((warn_unused_result));
/* The name of kind, or "unknown" for a value that is no kind (for logs). */
const char *channel_kind_name(channel_kind kind);
/* true if kind is a kind (not CHANNEL_UNSPECIFIED, not a value from a newer schema). */
bool channel_kind_known(channel_kind kind);
/* The target with which a notice asks for a post on a channel's public
 * channel of this kind, or NULL if the kind has none. */
const char *channel_kind_post_target(channel_kind kind);
/* true if s is a target a notice may name: a kind's name or post target. */
bool channel_target_ok(const char *s);

#endif
