/*
 * Checks that keep a bad event value from failing a statement forever (a
 * CHECK or a cast that can never succeed would make the worker retry the
 * same message without end). Array parameters are built by common's
 * pgarr.h, and a UUID is checked by crypto.h's uuid_valid().
 */
#ifndef BND_PGTEXT_H
#define BND_PGTEXT_H

#include <stdbool.h>

/* A channel target a notice may name (channel_target_ok, channel_kind.h). */
bool pgtext_channel_ok(const char *s);
/* s if it is a known notice category, else "other". */
const char *pgtext_category(const char *s);

#endif
