/* Pausing and resuming partitions (flow.h). */
#include "flow.h"

#include <string.h>

#include "log.h"
#include "sender.h"

/* Pauses cp until at_ms (a job of it is not due before). */
void flow_pause_until(struct cpart *cp, int64_t at_ms)
{
	cp->pause_why |= CT_PAUSE_WAIT;
	if (at_ms > cp->resume_at)
		cp->resume_at = at_ms;
}

void flow_block(struct cpart *cp, struct sender *snd)
{
	cp->pause_why |= CT_PAUSE_FULL;
	cp->blocker = snd;
}

/* Tells librdkafka to pause or resume one partition. */
static void flow_set(struct flow *fl, struct cpart *cp, bool pause)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_t *rk = cp->rk != NULL ? cp->rk : fl->rk;

	rd_kafka_topic_partition_list_add(l, cp->topic, cp->partition);
	if (pause)
		rd_kafka_pause_partitions(rk, l);
	else
		rd_kafka_resume_partitions(rk, l);
	rd_kafka_topic_partition_list_destroy(l);
	if (pause != cp->paused)
		log_debug("dispatch.partition_paused", "%s [%d] %s (reasons %u)", cp->topic,
		          (int)cp->partition, pause ? "paused" : "resumed", cp->pause_why);
	cp->paused = pause;
}

/* Makes sure every assigned partition has a tracker (for the urgent pause). */
static void flow_know_assignment(struct flow *fl)
{
	rd_kafka_topic_partition_list_t *l = NULL;

	if (rd_kafka_assignment(fl->rk, &l) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	for (int i = 0; i < l->cnt; i++) {
		struct cpart *cp = ct_part(fl->ct, l->elems[i].topic, l->elems[i].partition);
		if (cp->rk == NULL)
			cp->rk = fl->rk;
		cp->assigned = true;
	}
	rd_kafka_topic_partition_list_destroy(l);
}

/* Recomputes why each partition is paused and tells librdkafka what changed. */
void flow_apply(struct flow *fl, bool urgent, int64_t now, bool reassert)
{
	unsigned normal = urgent ? CT_PAUSE_URGENT : 0;

	if (normal != 0 && !fl->normal_paused)
		flow_know_assignment(fl);
	fl->normal_paused = normal != 0;
	for (struct cpart *cp = fl->ct->parts; cp != NULL; cp = cp->link) {
		if (!cp->assigned)
			continue;   /* another member's now: librdkafka knows nothing to pause */
		if ((cp->pause_why & CT_PAUSE_WAIT) && now >= cp->resume_at) {
			cp->pause_why &= ~CT_PAUSE_WAIT;
			cp->resume_at = 0;
		}
		if ((cp->pause_why & CT_PAUSE_FULL) &&
		    (cp->blocker == NULL || cp->blocker->queued <= fl->sender_queue / 2)) {
			cp->pause_why &= ~CT_PAUSE_FULL;
			cp->blocker = NULL;
		}
		cp->pause_why &= ~CT_PAUSE_URGENT;
		if (strcmp(cp->topic, fl->t_urgent) != 0)
			cp->pause_why |= normal;
		if ((cp->pause_why != 0) != cp->paused || (reassert && cp->paused))
			flow_set(fl, cp, cp->pause_why != 0);
	}
}

