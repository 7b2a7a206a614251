/*
 * The subscriptions service's state, handed to every handler (one worker
 * thread): the shared service parts, the channel settings read lately
 * and the automatic-reply throttle.
 */
#ifndef BND_SUBSCRIPTIONS_H
#define BND_SUBSCRIPTIONS_H

#include "service.h"
#include "settings.h"

struct autoreply;

struct subscriptions {
	struct service svc;               /* producer, consumer, PostgreSQL */
	struct settings_cache settings;
	struct autoreply *autoreply;
};

#endif
