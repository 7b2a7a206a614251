/* Fan-out of a released notice; see fanout.h. */
#include "fanout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "clock.h"
#include "events.h"
#include "health.h"
#include "instance.h"
#include "log.h"
#include "metrics.h"
#include "render.h"
#include "rendition.h"
#include "resume.h"
#include "shutdown.h"
#include "xmalloc.h"

static struct metric m_jobs = METRIC_COUNTER("bnd_composer_jobs_total", "delivery jobs produced");
static struct metric m_notices = METRIC_COUNTER("bnd_composer_notices_sent_total",
                                                "notices fanned out completely");

void fanout_metrics(void)
{
	metrics_register(&m_jobs);
	metrics_register(&m_notices);
}

/*
 * Checkpoint value of fanout_subscriber_id meaning "this Telegram channel's
 * post is acknowledged, no subscriber yet" (subscriber ids start at 1).
 */
#define FANOUT_POSTED (-1LL)
#define FANOUT_MAX_INFLIGHT 16

/* What a fan-out needs to know about its notice. */
struct notice {
	const char *id;
	char *comune_id;
	struct notice_text text;  /* its strings owned here */
	char *topics;             /* text[] literal, "{}" = everyone */
	char *targets;            /* the channel targets it names, space-separated; "" = all */
	bool urgent;
	bool resumed;             /* found "sending": a fan-out cut short */
	struct idgen *ids;        /* the jobs' event ids */
	int64_t ts_ms;            /* the jobs' event time: the start of this run */
	char *status;
	int64_t approved_ms;      /* released for sending: approval, or later its release */
	long long ch_from, sub_from;
	char epoch[24];           /* our claim's fanout_epoch */
	unsigned inst_epoch;      /* the instance's epoch when it was claimed */
};

/* A channel of the comune, as the fan-out walks it. */
struct channel {
	long long id;
	channel_kind kind;
	const char *sender;       /* phone-number id / bot id */
	const char *post_to;      /* public channel for the kind's post target, "" for none */
	bool to_subscribers;      /* false: channel only (tg_bot_mode; true for other kinds) */
	struct rendition r;       /* the notice as this channel's jobs carry it */
};

static const char SQL_NOTICE[] =
    "SELECT n.comune_id, n.title, n.body, n.urgent, n.status, n.fanout_channel_id, "
    "n.fanout_subscriber_id, n.topics, n.link, c.archive_base_url, c.name, "
    "array_to_string(n.channels, ' '), "
    "coalesce((extract(epoch FROM greatest(n.approved_at, n.release_at)) * 1000)::bigint, 0) "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id WHERE n.id = $1::uuid";

/* Loads the notice; 0, 1 if absent, -1 on failure. */
static int notice_load(struct db *db, const char *id, struct notice *n)
{
	const char *params[1] = { id };
	PGresult *res = db_exec(db, SQL_NOTICE, 1, params);

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 1;
	}
	n->id = id;
	n->comune_id = xstrdup(PQgetvalue(res, 0, 0));
	n->text = (struct notice_text){
		.title = xstrdup(PQgetvalue(res, 0, 1)),
		.body = xstrdup(PQgetvalue(res, 0, 2)),
		.link = xstrdup(PQgetvalue(res, 0, 8)),
		.archive = render_archive_url(PQgetvalue(res, 0, 9), n->comune_id, id),
		.comune = xstrdup(PQgetvalue(res, 0, 10)),
	};
	n->urgent = PQgetvalue(res, 0, 3)[0] == 't';
	n->status = xstrdup(PQgetvalue(res, 0, 4));
	n->resumed = strcmp(n->status, "sending") == 0;
	n->ch_from = atoll(PQgetvalue(res, 0, 5));
	n->sub_from = atoll(PQgetvalue(res, 0, 6));
	n->topics = xstrdup(PQgetvalue(res, 0, 7));
	n->targets = xstrdup(PQgetvalue(res, 0, 11));
	n->approved_ms = atoll(PQgetvalue(res, 0, 12));
	PQclear(res);
	return 0;
}

/* Releases what notice_load allocated. */
static void notice_free(struct notice *n)
{
	free(n->comune_id);
	free((char *)n->text.title);
	free((char *)n->text.body);
	free((char *)n->text.link);
	free((char *)n->text.archive);
	free((char *)n->text.comune);
	free(n->topics);
	free(n->targets);
	free(n->status);
}

/* true if the notice goes to target: it names it, or names none. */
static bool notice_targets(const struct notice *n, const char *target)
{
	size_t len = strlen(target);
	const char *p = n->targets;

	if (*p == '\0')
		return true;
	for (; (p = strstr(p, target)) != NULL; p += len)
		if ((p == n->targets || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return true;
	return false;
}

/*
 * Event ids for a fan-out's jobs, UUID v4 in form: one random base per
 * notice with a counter in its last 48 bits. A fresh uuid_v4() per job
 * (a CSPRNG call, a getpid() and a printf each) took about 40% of the
 * fan-out's CPU (measured: 2.27 s -> 1.31 s of CPU for a million jobs);
 * ids only need to be unique, not unpredictable.
 */
struct idgen {
	char text[UUID_STR_LEN + 1];
	unsigned long long next;
};

static void idgen_init(struct idgen *g)
{
	uuid_v4(g->text);
	g->next = strtoull(g->text + 24, NULL, 16);
}

/* The next id, in g->text. */
static const char *idgen_next(struct idgen *g)
{
	static const char hex[] = "0123456789abcdef";
	unsigned long long v = g->next++;

	for (int i = 35; i >= 24; i--, v >>= 4)
		g->text[i] = hex[v & 15];
	return g->text;
}

/* Packs job with the notice's content for ch and produces it into the batch. */
static int produce(struct kq_producer *kp, struct kq_batch *b, const struct notice *n,
                   const struct channel *ch, Banditore__V1__DeliveryJob *job)
{
	Banditore__V1__EventMeta meta = BANDITORE__V1__EVENT_META__INIT;
	uint8_t stack[2048];
	size_t len;
	void *buf;
	int rc;

	meta.id = (char *)idgen_next(n->ids);
	meta.comune_id = n->comune_id;
	meta.ts_ms = n->ts_ms;
	meta.schema_version = EVENT_SCHEMA_VERSION;
	job->meta = &meta;
	job->channel_id = ch->id;
	job->sender_account = (char *)ch->sender;
	job->urgent = n->urgent;
	job->approved_ms = n->approved_ms;
	job->kind = ch->kind;
	rendition_attach(&ch->r, job);
	/* Most jobs fit on the stack: no allocation per job. */
	len = protobuf_c_message_get_packed_size(&job->base);
	buf = len <= sizeof(stack) ? stack : xmalloc(len);
	len = protobuf_c_message_pack(&job->base, buf);
	rc = kq_batch_produce(kp, b, n->urgent ? TOPIC_DELIVERY_URGENT : TOPIC_DELIVERY_JOBS,
	                      ch->sender, strlen(ch->sender), buf, len);
	if (buf != stack)
		free(buf);
	return rc;
}

/* Produces one subscriber's job into the batch. */
static int produce_job(struct kq_producer *kp, struct kq_batch *b, const struct notice *n,
                       const struct channel *ch, long long sub_id, const char *address)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	char job_id[128];

	/* job_id_make's format, without an allocation per job. */
	snprintf(job_id, sizeof(job_id), "notice:%s:%lld:%lld", n->id, ch->id, sub_id);
	job.job_id = job_id;
	job.address = (char *)address;
	job.subscriber_id = sub_id;
	job.notice_id = (char *)n->id;
	job.purpose = BANDITORE__V1__JOB_PURPOSE__PURPOSE_NOTICE;
	job.requires_consent = true;
	return produce(kp, b, n, ch, &job);
}

/*
 * Records that every job up to sub_id on channel is acknowledged, if the
 * notice is still being sent and still ours (owner and epoch). 0, 1 if
 * it was cancelled or taken over meanwhile, -1.
 */
static int checkpoint(struct fanout_ctx *fx, const struct notice *n, long long ch_id,
                      long long sub_id, int count)
{
	char ch[24], sub[24], cnt[16];
	const char *params[6] = { n->id, ch, sub, cnt, instance_id(fx->inst), n->epoch };
	PGresult *res;
	int rows;

	snprintf(ch, sizeof(ch), "%lld", ch_id);
	snprintf(sub, sizeof(sub), "%lld", sub_id);
	snprintf(cnt, sizeof(cnt), "%d", count);
	res = db_exec(fx->db, "WITH n AS (UPDATE notices SET status = 'sending', "
	                      "fanout_channel_id = $2::bigint, fanout_subscriber_id = $3::bigint, "
	                      "recipients = recipients + $4::int WHERE id = $1::uuid "
	                      "AND status IN ('approved', 'sending') AND fanout_owner = $5::uuid "
	                      "AND fanout_epoch = $6::bigint RETURNING id), "
	                      "c AS (INSERT INTO notice_channel_counts (notice_id, channel_id, "
	                      "recipients) SELECT id, $2::bigint, $4::int FROM n WHERE $4::int > 0 "
	                      "ON CONFLICT (notice_id, channel_id) DO UPDATE "
	                      "SET recipients = notice_channel_counts.recipients + EXCLUDED.recipients) "
	                      "SELECT count(*) FROM n", 6, params);
	if (res == NULL)
		return -1;
	rows = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return rows == 1 ? 0 : 1;
}

/* A page produced and not yet checkpointed. */
struct page {
	struct kq_batch b;
	long long last;
	int rows;
};

/* The pages of one channel's walk, oldest first. */
struct walk {
	struct fanout_ctx *fx;
	const struct notice *n;
	const struct channel *ch;
	struct page ring[FANOUT_MAX_INFLIGHT];
	int head, count;
	int stop;                 /* 0, or the fanout_result that ends the walk */
};

/* Waits for the oldest page and checkpoints it. */
static void walk_settle_one(struct walk *w)
{
	struct page *p = &w->ring[w->head];
	int rc = kq_batch_wait(w->fx->kp, &p->b) != 0 ? -1 : 0;

	w->head = (w->head + 1) % FANOUT_MAX_INFLIGHT;
	w->count--;
	/* Acknowledged pages are checkpointed even when yielding: the next
	 * run must not produce them again. */
	if (rc == 0 && (w->stop == FANOUT_DONE || w->stop == FANOUT_YIELDED))
		rc = checkpoint(w->fx, w->n, w->ch->id, p->last, p->rows);
	if (rc == 0)
		metric_add(&m_jobs, p->rows);
	if (rc != 0 && (w->stop == FANOUT_DONE || w->stop == FANOUT_YIELDED))
		w->stop = rc < 0 ? FANOUT_FAILED : FANOUT_CANCELLED;
}

/* Settles every page in flight (their batches live in the ring). */
static void walk_drain(struct walk *w)
{
	while (w->count > 0)
		walk_settle_one(w);
}

/* A page, read only while the claim is ours (else empty: the fan-out stops at the fence). */
static const char SQL_PAGE[] =
    "SELECT id, address FROM subscribers WHERE channel_id = $1::bigint "
    "AND " AUDIENCE_SUBSCRIBER("$4") " AND id > $2::bigint "
    "AND EXISTS (SELECT 1 FROM notices WHERE id = $5::uuid "
    "AND fanout_owner = $6::uuid AND fanout_epoch = $7::bigint) ORDER BY id LIMIT $3::int";

/* Reads and produces the page after *last. Returns rows, or -1. */
static int walk_page(struct walk *w, long long *last)
{
	char chs[24], lasts[24], pages[24];
	const char *params[7] = { chs, lasts, pages, w->n->topics, w->n->id,
		                  instance_id(w->fx->inst), w->n->epoch };
	struct page *p;
	PGresult *res;
	int rows;

	snprintf(chs, sizeof(chs), "%lld", w->ch->id);
	snprintf(lasts, sizeof(lasts), "%lld", *last);
	snprintf(pages, sizeof(pages), "%ld", w->fx->page);
	res = db_exec(w->fx->db, SQL_PAGE, 7, params);
	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	if (rows == 0) {
		PQclear(res);
		return 0;
	}
	p = &w->ring[(w->head + w->count) % FANOUT_MAX_INFLIGHT];
	w->count++;
	kq_batch_init(&p->b);
	for (int i = 0; i < rows; i++)
		if (produce_job(w->fx->kp, &p->b, w->n, w->ch, atoll(PQgetvalue(res, i, 0)),
		                PQgetvalue(res, i, 1)) != 0)
			break;
	*last = p->last = atoll(PQgetvalue(res, rows - 1, 0));
	p->rows = rows;
	PQclear(res);
	return rows;
}

/* true while our claim may be acted on: the instance fresh, in the epoch it claimed in. */
static bool walk_ours(const struct walk *w)
{
	return instance_fresh(w->fx->inst) && instance_epoch(w->fx->inst) == w->n->inst_epoch;
}

/* True when a normal notice should give way to an urgent one. */
static bool walk_yield(const struct walk *w)
{
	return !w->n->urgent && w->fx->urgent_waiting != NULL &&
	       atomic_load(w->fx->urgent_waiting);
}

/*
 * Telegram channel mode: the one post of the notice to the public channel,
 * acknowledged, then checkpointed as FANOUT_POSTED. Its job id
 * "post:<notice>:<channel>" is the same on every try, so a post produced
 * again after a crash is sent once (the dispatcher's ledger).
 */
static int fanout_post(struct fanout_ctx *fx, const struct notice *n, const struct channel *ch)
{
	struct log_fields f = LOG_FIELDS_INIT;
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	struct kq_batch b;
	int rc;

	job.job_id = xasprintf("post:%s:%lld", n->id, ch->id);
	job.address = (char *)ch->post_to;
	/* notice_id stays empty: it names the notice of PURPOSE_NOTICE jobs only
	 * (one per subscriber); the post's job id carries the notice. */
	job.purpose = BANDITORE__V1__JOB_PURPOSE__PURPOSE_CHANNEL_POST;
	job.requires_consent = false;   /* Telegram keeps the channel's members */
	kq_batch_init(&b);
	rc = produce(fx->kp, &b, n, ch, &job);
	free(job.job_id);
	if (kq_batch_wait(fx->kp, &b) != 0 || rc != 0)
		return FANOUT_FAILED;
	rc = checkpoint(fx, n, ch->id, FANOUT_POSTED, 0);
	if (rc != 0)
		return rc < 0 ? FANOUT_FAILED : FANOUT_CANCELLED;
	metric_add(&m_jobs, 1);
	lf_str(&f, "notice_id", n->id);
	lf_str(&f, "comune", n->comune_id);
	lf_int(&f, "channel", ch->id);
	log_info_f("fanout.posted", &f, "notice %s to %s channel %s", n->id, channel_kind_name(ch->kind),
	         ch->post_to);
	return FANOUT_DONE;
}

static const char SQL_SKIPPED[] =
    "SELECT count(*) FROM subscribers WHERE channel_id = $1::bigint "
    "AND " AUDIENCE_SUBSCRIBER("$4") " AND id > $2::bigint AND id <= $3::bigint";

/*
 * A resumed fan-out: moves the checkpoint of ch past the jobs Kafka
 * already holds (*last), counting them as recipients. 0, or a fanout_result.
 */
static int fanout_skip_produced(struct fanout_ctx *fx, const struct notice *n,
                                const struct channel *ch, long long *last)
{
	const char *topic = kq_topic_name(fx->kp, n->urgent ? TOPIC_DELIVERY_URGENT
	                                                    : TOPIC_DELIVERY_JOBS);
	long long upto = resume_scan(fx->brokers, topic, n->id, ch->id,
	                             (fx->inflight + 1) * fx->page * 2 + 1000);
	char chs[24], from[24], to[24];
	const char *params[4] = { chs, from, to, n->topics };
	PGresult *res;
	int count, rc;

	if (upto < 0)
		return FANOUT_FAILED;
	if (upto <= *last)
		return FANOUT_DONE;
	snprintf(chs, sizeof(chs), "%lld", ch->id);
	snprintf(from, sizeof(from), "%lld", *last);
	snprintf(to, sizeof(to), "%lld", upto);
	res = db_exec(fx->db, SQL_SKIPPED, 4, params);
	if (res == NULL)
		return FANOUT_FAILED;
	count = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	rc = checkpoint(fx, n, ch->id, upto, count);
	if (rc != 0)
		return rc < 0 ? FANOUT_FAILED : FANOUT_CANCELLED;
	log_info("fanout.resumed", "notice %s channel %lld: %d jobs already in Kafka after "
	         "subscriber %lld, resuming after %lld", n->id, ch->id, count, *last, upto);
	*last = upto;
	return FANOUT_DONE;
}

/* Fans the notice out on one channel from its checkpoint. */
static int fanout_channel(struct fanout_ctx *fx, const struct notice *n,
                          const struct channel *ch)
{
	long long last = ch->id == n->ch_from ? n->sub_from : 0;
	struct walk w = { .fx = fx, .n = n, .ch = ch };
	long inflight = fx->inflight < 1 ? 1 : fx->inflight > FANOUT_MAX_INFLIGHT ?
	                FANOUT_MAX_INFLIGHT : fx->inflight;
	int rows;

	const char *post = channel_kind_post_target(ch->kind);
	/* A checkpoint on this channel past 0 means its post is acknowledged. */
	if (post != NULL && ch->post_to[0] != '\0' && notice_targets(n, post) && last == 0) {
		int rc = fanout_post(fx, n, ch);
		if (rc != FANOUT_DONE)
			return rc;
		last = FANOUT_POSTED;
	}
	if (!ch->to_subscribers || !notice_targets(n, channel_kind_name(ch->kind)))
		return FANOUT_DONE;
	if (n->resumed) {
		int rc = fanout_skip_produced(fx, n, ch, &last);
		if (rc != FANOUT_DONE)
			return rc;
	}
	while (w.stop == FANOUT_DONE) {
		/* Yielding also ends it at shutdown: the checkpoint holds the rest. */
		if (walk_yield(&w) || shutdown_requested()) {
			w.stop = FANOUT_YIELDED;
			break;
		}
		if (!walk_ours(&w)) {
			w.stop = FANOUT_NOT_OURS;   /* a heartbeat gap: someone may have taken it */
			break;
		}
		health_beat(fx->beat);   /* a long fan-out is progress */
		rows = walk_page(&w, &last);
		if (rows < 0)
			w.stop = FANOUT_FAILED;
		if (rows <= 0)
			break;
		while (w.count >= inflight && w.stop == FANOUT_DONE)
			walk_settle_one(&w);
		if (fx->delay_ms > 0)
			shutdown_sleep_ms(fx->delay_ms);
	}
	walk_drain(&w);
	return w.stop;
}

/* Fills ch from row i of res and renders the notice for it. 0, or -1 if the
 * channel is of a kind the composer cannot send to (logged). */
static int channel_load(PGresult *res, int i, const struct notice *n, struct channel *ch)
{
	const struct rendition_channel rc = { PQgetvalue(res, i, 3), PQgetvalue(res, i, 4) };

	ch->id = atoll(PQgetvalue(res, i, 0));
	ch->sender = PQgetvalue(res, i, 2);
	ch->post_to = PQgetvalue(res, i, 5);
	ch->to_subscribers = strcmp(PQgetvalue(res, i, 6), "t") == 0;
	if (channel_kind_parse(PQgetvalue(res, i, 1), &ch->kind) != 0 ||
	    rendition_make(ch->kind, &n->text, &rc, &ch->r) != 0) {
		log_warn("fanout.unknown_kind", "notice %s: channel %lld skipped, its kind \"%s\" "
		         "is not one the composer renders", n->id, ch->id, PQgetvalue(res, i, 1));
		return -1;
	}
	return 0;
}

/* Every channel of the comune from the checkpoint's channel on, but those an
 * operator disabled (banditorectl channel disable). */
static int fanout_channels(struct fanout_ctx *fx, const struct notice *n)
{
	char from[24];
	const char *params[2] = { n->comune_id, from };
	PGresult *res;
	int rc = FANOUT_DONE;

	snprintf(from, sizeof(from), "%lld", n->ch_from);
	res = db_exec(fx->db, "SELECT id, kind, sender_account, wa_template, wa_template_lang, "
	                      "tg_public_channel, " AUDIENCE_CHANNEL " FROM channels "
	                      "WHERE comune_id = $1 AND NOT disabled AND id >= $2::bigint "
	                      "ORDER BY id", 2, params);
	if (res == NULL)
		return FANOUT_FAILED;
	for (int i = 0; i < PQntuples(res) && rc == FANOUT_DONE; i++) {
		struct channel ch;
		if (channel_load(res, i, n, &ch) != 0)
			continue;
		rc = fanout_channel(fx, n, &ch);
		rendition_free(&ch.r);
	}
	PQclear(res);
	return rc;
}

/*
 * Claims the notice for this instance if it is being sent and no live
 * instance holds it. 0 (n->epoch set), 1 if not ours to fan out, -1.
 */
static int fanout_claim(struct fanout_ctx *fx, const char *notice_id, struct notice *n)
{
	const char *params[2] = { notice_id, instance_id(fx->inst) };
	PGresult *res;
	int rc = 1;

	if (!instance_fresh(fx->inst))
		return -1;   /* our claims are not to be trusted now: try again soon */
	n->inst_epoch = instance_epoch(fx->inst);
	res = db_exec(fx->db, "UPDATE notices SET fanout_owner = $2::uuid, "
	                      "fanout_epoch = fanout_epoch + 1 WHERE id = $1::uuid "
	                      "AND status IN ('approved', 'sending') AND fanout_done_at IS NULL "
	                      "AND (fanout_owner IS NULL OR fanout_owner = $2::uuid "
	                      "OR NOT instance_live(fanout_owner)) RETURNING fanout_epoch", 2, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		snprintf(n->epoch, sizeof(n->epoch), "%s", PQgetvalue(res, 0, 0));
		rc = 0;
	}
	PQclear(res);
	return rc;
}

/*
 * Ends our claim: the fan-out done (every job in Kafka: fanout_done_at,
 * and sent_at, the time the archive shows; the notice stays 'sending'
 * until its jobs are settled, settle.h), or left for the next run (any
 * composer).
 */
static int fanout_finish(struct fanout_ctx *fx, const struct notice *n, bool done)
{
	const char *params[3] = { n->id, instance_id(fx->inst), n->epoch };
	PGresult *res;
	int rows;

	res = db_exec(fx->db, done ? "UPDATE notices SET status = 'sending', fanout_done_at = now(), "
	                             "sent_at = now(), fanout_owner = NULL WHERE id = $1::uuid "
	                             "AND status IN ('approved', 'sending') "
	                             "AND fanout_owner = $2::uuid AND fanout_epoch = $3::bigint"
	                           : "UPDATE notices SET fanout_owner = NULL WHERE id = $1::uuid "
	                             "AND fanout_owner = $2::uuid AND fanout_epoch = $3::bigint",
	              3, params);
	if (res == NULL)
		return -1;
	rows = atoi(PQcmdTuples(res));
	PQclear(res);
	return rows == 1 ? 0 : 1;
}

/* Logs how a run ended. */
static void fanout_log_end(const struct notice *n, const char *notice_id, int rc)
{
	struct log_fields f = LOG_FIELDS_INIT;

	lf_str(&f, "notice_id", notice_id);
	if (n->comune_id != NULL)
		lf_str(&f, "comune", n->comune_id);
	switch (rc) {
	case FANOUT_DONE:
		metric_add(&m_notices, 1);
		log_info_f("fanout.done", &f, "notice %s fanned out", notice_id);
		break;
	case FANOUT_CANCELLED:
		log_info_f("fanout.stopped", &f, "notice %s: cancelled or paused, or taken over by another "
		         "composer, during its fan-out", notice_id);
		break;
	case FANOUT_YIELDED:
		log_info_f("fanout.yielded", &f, "notice %s waits for an urgent notice", notice_id);
		break;
	case FANOUT_NOT_OURS:
		log_warn_f("fanout.claim_lost", &f, "notice %s: this composer's claim may have lapsed "
		         "(heartbeat gap); stopped, to be resumed by whoever holds it", notice_id);
		break;
	default:
		break;
	}
}

enum fanout_result fanout_run(struct fanout_ctx *fx, const char *notice_id)
{
	struct log_fields lf = LOG_FIELDS_INIT;
	struct notice n = { 0 };
	struct idgen ids;
	int rc = fanout_claim(fx, notice_id, &n);

	if (rc != 0)
		return rc < 0 ? FANOUT_FAILED : FANOUT_NOT_OURS;
	rc = notice_load(fx->db, notice_id, &n);
	if (rc != 0)
		return rc < 0 ? FANOUT_FAILED : FANOUT_DONE;
	if (strcmp(n.status, "approved") != 0 && strcmp(n.status, "sending") != 0) {
		notice_free(&n);
		return FANOUT_DONE;
	}
	idgen_init(&ids);
	n.ids = &ids;
	n.ts_ms = clock_wall_ms();
	lf_str(&lf, "notice_id", notice_id);
	lf_str(&lf, "comune", n.comune_id);
	log_info_f("fanout.start", &lf, "notice %s from channel %lld subscriber %lld%s, claim %s",
	         notice_id, n.ch_from, n.sub_from, n.urgent ? " (urgent)" : "", n.epoch);
	rc = fanout_channels(fx, &n);
	if (rc == FANOUT_DONE) {
		int f = fanout_finish(fx, &n, true);
		rc = f < 0 ? FANOUT_FAILED : f > 0 ? FANOUT_CANCELLED : FANOUT_DONE;
	}
	if (rc != FANOUT_DONE && fanout_finish(fx, &n, false) < 0)
		log_warn("fanout.claim_kept", "notice %s: claim not given back (PostgreSQL); it "
		         "lapses with this composer's lease", notice_id);
	fanout_log_end(&n, notice_id, rc);
	notice_free(&n);
	return rc;
}
