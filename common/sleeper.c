/* A sleep other threads can cut short (sleeper.h). */
#include "sleeper.h"

#include <time.h>

#include "clock.h"

void sleeper_init(struct sleeper *s)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	s->woken = false;
	s->stopping = false;
}

void sleeper_destroy(struct sleeper *s)
{
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
}

bool sleeper_sleep(struct sleeper *s, long ms)
{
	struct timespec until = clock_mono_deadline(ms);
	bool stop;

	pthread_mutex_lock(&s->mu);
	while (!s->woken && !s->stopping && pthread_cond_timedwait(&s->cv, &s->mu, &until) == 0)
		;
	s->woken = false;
	stop = s->stopping;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

bool sleeper_round(struct sleeper *s)
{
	bool stop;

	pthread_mutex_lock(&s->mu);
	s->woken = false;
	stop = s->stopping;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

/* Sets a flag and signals the sleeper. */
static void sleeper_signal(struct sleeper *s, bool *flag)
{
	pthread_mutex_lock(&s->mu);
	*flag = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void sleeper_wake(struct sleeper *s)
{
	sleeper_signal(s, &s->woken);
}

void sleeper_stop(struct sleeper *s)
{
	sleeper_signal(s, &s->stopping);
}
