/*
 * Stopped notices, as every dispatcher must know them within a second of
 * an approver's action: a thread with its own PostgreSQL connection reads
 * the notices that are paused, and those cancelled in the last hour,
 * every BND_STOP_POLL_MS (250 ms), and publishes them as a new set when
 * they change. The main thread asks sw_changed() each turn and then
 * withdraws what it holds of them (cancelled: recorded as stopped;
 * paused: deferred until resumed); sw_state() answers for one notice.
 *
 * The same thread writes this dispatcher's senders' state (rate, queued,
 * deferred, halted) to sender_state every few seconds: the main thread
 * hands it a copy with sw_senders().
 */
#ifndef DSP_STOPWATCH_H
#define DSP_STOPWATCH_H

#include <stdbool.h>
#include <stddef.h>

struct instance;

enum sw_state {
	SW_RUNNING,      /* not stopped (or unknown) */
	SW_PAUSED,
	SW_CANCELLED,
};

/* One sender's state for sender_state. */
struct sw_sender {
	long long channel_id;
	double rate;
	long queued, deferred;
	bool halted;
};

struct stopwatch;

struct stopwatch *sw_start(const char *dsn, long poll_ms, const struct instance *inst);
void sw_stop(struct stopwatch *sw);
/* true (once) if the set changed since the last call. Main thread. */
bool sw_changed(struct stopwatch *sw);
/* What the last published set says of a notice id ("" or NULL: running). Main thread. */
enum sw_state sw_state(struct stopwatch *sw, const char *notice_id);
/* Hands over the senders' state to write (copied). Main thread. */
void sw_senders(struct stopwatch *sw, const struct sw_sender *v, size_t n);

#endif
