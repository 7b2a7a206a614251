/*
 * SIGTERM/SIGINT handling. Worker loops test shutdown_requested() between
 * units of work; event-loop services get a callback on their loop.
 */
#ifndef BND_SHUTDOWN_H
#define BND_SHUTDOWN_H

#include <stdbool.h>

struct event_base;

/* Installs handlers that set the flag (and ignores SIGPIPE). */
void shutdown_install(void);
bool shutdown_requested(void);
/* Also calls cb(arg) on base's loop when a signal arrives. */
int shutdown_watch(struct event_base *base, void (*cb)(void *), void *arg)
    __attribute__((warn_unused_result));
/* Frees what shutdown_watch set up; call before freeing the base. */
void shutdown_unwatch(void);
/* Sleeps up to ms, returning early if shutdown is requested. */
void shutdown_sleep_ms(long ms);

#endif
