/* Metrics: outcome counters, retries, requests in flight. */
#include "stats.h"

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

void stats_register(void)
{
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

void stats_outcomes(struct job_slot *const *slots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct job_slot *slot = slots[i];
		if (slot->state != SLOT_DONE || slot->dup || slot->replay || slot->retry)
			continue;
		switch (slot->outcome) {
		case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SENT:
			metric_add(&m_sent, 1);
			break;
		case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED:
			metric_add(&m_failed, 1);
			break;
		case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED:
			metric_add(&m_skipped, 1);
			break;
		case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD:
			metric_add(&m_dead, 1);
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
