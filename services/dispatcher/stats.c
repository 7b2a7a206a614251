/* Metrics: outcome counters, retries, requests in flight. */
#include "stats.h"

#include "chstats.h"
#include "clock.h"
#include "latency.h"
#include "metrics.h"
#include "sender.h"

static struct metric m_sent = METRIC_COUNTER("bnd_dispatcher_sent_total",
                                             "jobs accepted by the provider");
static struct metric m_failed = METRIC_COUNTER("bnd_dispatcher_failed_total",
                                               "jobs failed permanently");
static struct metric m_skipped = METRIC_COUNTER("bnd_dispatcher_skipped_total",
                                                "jobs skipped (consent revoked)");
static struct metric m_dead = METRIC_COUNTER("bnd_dispatcher_dead_total",
                                             "jobs given up on and dead-lettered");
static struct metric m_retried = METRIC_COUNTER("bnd_dispatcher_retried_total",
                                                "retries scheduled after transient errors");
static struct metric m_halted = METRIC_GAUGE("bnd_dispatcher_senders_halted",
                                             "senders halted now (token or account rejected)");
static struct metric m_held = METRIC_GAUGE("bnd_dispatcher_jobs_in_memory",
                                           "jobs held in memory (queued, in flight, to flush)");
static struct metric m_inflight = METRIC_GAUGE("bnd_dispatcher_inflight",
                                               "HTTP requests to the provider in flight");

#define STATS_BREAKERS 8

/* The endpoints' breaker states (breaker.h enum values). */
static struct {
	const char *kind[STATS_BREAKERS];
	atomic_int  st[STATS_BREAKERS];
	size_t      n;
	struct metrics_writer writer;
} brk;

/* metrics writer: one gauge line per endpoint. */
static void stats_write_breakers(void *arg, FILE *out)
{
	size_t n = brk.n;
	(void)arg;

	fputs("# HELP bnd_dispatcher_breaker_state the provider endpoint's circuit breaker: "
	      "0 closed (sending), 1 open (nothing sent), 2 half-open (one probe)\n"
	      "# TYPE bnd_dispatcher_breaker_state gauge\n", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "bnd_dispatcher_breaker_state{kind=\"%s\"} %d\n", brk.kind[i],
		        atomic_load(&brk.st[i]));
}

atomic_int *stats_breaker(const char *kind)
{
	if (brk.n == STATS_BREAKERS)
		return NULL;
	brk.kind[brk.n] = kind;
	atomic_store(&brk.st[brk.n], 0);
	return &brk.st[brk.n++];
}

void stats_register(void)
{
	brk.writer.fn = stats_write_breakers;
	metrics_add_writer(&brk.writer);
	chs_register();
	lat_register();
	metrics_register(&m_sent);
	metrics_register(&m_failed);
	metrics_register(&m_skipped);
	metrics_register(&m_dead);
	metrics_register(&m_retried);
	metrics_register(&m_inflight);
	metrics_register(&m_halted);
	metrics_register(&m_held);
}

/* Labelled per-sender lines after the plain metrics (arg: the senders). */
static void stats_write_senders(void *arg, FILE *out)
{
	sender_metrics(arg, out);
}

void stats_senders_register(struct senders *ss)
{
	metrics_set_extra(ss != NULL ? stats_write_senders : NULL, ss);
}

void stats_halted(const struct senders *ss)
{
	long n = 0;

	for (const struct sender *snd = ss->list; snd != NULL; snd = snd->link)
		n += snd->halted;
	metric_set(&m_halted, n);
}

void stats_in_memory(long n)
{
	metric_set(&m_held, n);
}

/* Counts what for slot's channel (a poison slot has no job: none). */
static void stats_channel(const struct job_slot *slot, enum chs_counter what)
{
	if (slot->job != NULL)
		chs_count(slot->job->channel_id, slot->job->kind, what);
}

void stats_outcomes(struct job_slot *const *slots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct job_slot *slot = slots[i];
		if (slot->state != SLOT_DONE || slot->dup || slot->replay || slot->retry)
			continue;
		switch (slot->outcome) {
		case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SENT:
			metric_add(&m_sent, 1);
			stats_channel(slot, CHS_SENT);
			if (slot->job != NULL)
				lat_sent(slot->job->notice_id, slot->job->approved_ms, clock_wall_ms());
			break;
		case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED:
			metric_add(&m_failed, 1);
			stats_channel(slot, CHS_FAILED);
			break;
		case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED:
			metric_add(&m_skipped, 1);
			break;
		case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD:
			metric_add(&m_dead, 1);
			stats_channel(slot, CHS_DEAD);
			break;
		default:
			break;
		}
	}
}

void stats_retried(void)
{
	metric_add(&m_retried, 1);
}

void stats_inflight(long n)
{
	metric_set(&m_inflight, n);
}
