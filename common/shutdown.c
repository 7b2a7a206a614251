/* SIGTERM/SIGINT: a flag for worker loops, a callback for event loops. */
#include "shutdown.h"

#include <event2/event.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "clock.h"
#include "log.h"

static atomic_bool stop_flag;

/* Async-signal-safe: only sets the flag. */
static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop_flag, true);
}

void shutdown_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool shutdown_requested(void)
{
	return atomic_load(&stop_flag);
}

struct watch {
	void (*cb)(void *);
	void *arg;
};

/* Runs on the loop thread when a signal arrived. */
static void on_loop_signal(evutil_socket_t sig, short what, void *arg)
{
	struct watch *w = arg;
	(void)what;
	atomic_store(&stop_flag, true);
	log_info("shutdown.signal", "received signal %d, draining", (int)sig);
	w->cb(w->arg);
}

static struct watch watch;
static struct event *watch_ev[2];

int shutdown_watch(struct event_base *base, void (*cb)(void *), void *arg)
{
	int sigs[] = { SIGTERM, SIGINT };

	signal(SIGPIPE, SIG_IGN);
	watch.cb = cb;
	watch.arg = arg;
	for (size_t i = 0; i < 2; i++) {
		watch_ev[i] = evsignal_new(base, sigs[i], on_loop_signal, &watch);
		if (watch_ev[i] == NULL || event_add(watch_ev[i], NULL) != 0)
			return -1;
	}
	return 0;
}

void shutdown_unwatch(void)
{
	for (size_t i = 0; i < 2; i++) {
		if (watch_ev[i] != NULL)
			event_free(watch_ev[i]);
		watch_ev[i] = NULL;
	}
}

void shutdown_sleep_ms(long ms)
{
	int64_t end = clock_mono_ms() + ms;
	while (!shutdown_requested()) {
		int64_t left = end - clock_mono_ms();
		if (left <= 0)
			break;
		clock_sleep_ms(left < 100 ? left : 100);
	}
}
