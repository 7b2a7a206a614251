/*
 * A worker thread's sleep that other threads can cut short: a mutex, a
 * condition variable on CLOCK_MONOTONIC (so a change of the wall clock
 * neither stretches nor cuts a sleep) and two flags under the mutex,
 * woken and stopping. The owner may guard its own hand-over fields
 * with mu too. sleeper_init() before the thread starts; sleeper_destroy()
 * after it was joined.
 */
#ifndef BND_SLEEPER_H
#define BND_SLEEPER_H

#include <pthread.h>
#include <stdbool.h>

struct sleeper {
	pthread_mutex_t mu;
	pthread_cond_t  cv;         /* on CLOCK_MONOTONIC */
	bool            woken;      /* under mu */
	bool            stopping;   /* under mu */
};

void sleeper_init(struct sleeper *s);
void sleeper_destroy(struct sleeper *s);
/* Sleeps up to ms, less if woken (the wake is used up) or stopped; true
 * if stopping. */
bool sleeper_sleep(struct sleeper *s, long ms);
/* Before a round of work: forgets the wakes so far (the round sees what
 * they were for); true if stopping. */
bool sleeper_round(struct sleeper *s);
/* Cuts the current sleep short, or the next one if none is under way. */
void sleeper_wake(struct sleeper *s);
/* Cuts every sleep short from now on: sleeper_sleep() and sleeper_round()
 * return true. */
void sleeper_stop(struct sleeper *s);

#endif
