/* Fan-out of an approved notice; see fanout.h. */
#include "fanout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "log.h"
#include "metrics.h"
#include "render.h"
#include "xmalloc.h"

static struct metric m_jobs = METRIC_COUNTER("bnd_composer_jobs_total", "delivery jobs produced");

/*
 * Checkpoint value of fanout_subscriber_id meaning "this Telegram channel's
 * post is acknowledged, no subscriber yet" (subscriber ids start at 1).
 */
#define FANOUT_POSTED (-1LL)

/* What a fan-out needs to know about its notice. */
struct notice {
	const char *id;
	char *comune_id;
	char *params[2];          /* WhatsApp template parameters: title, body */
	char *tg_text;            /* Telegram: the HTML message */
	bool urgent;
	char *status;
	long long ch_from, sub_from;
};

/* A channel of the comune, as the fan-out walks it. */
struct channel {
	long long id;
	bool telegram;
	const char *sender;       /* phone-number id / bot id */
	const char *tpl;          /* WhatsApp template and language */
	const char *lang;
	const char *tg_public;    /* Telegram channel to post to, "" for none */
	bool tg_bot;              /* Telegram: one message per subscriber */
};

/* Loads the notice; 0, 1 if absent, -1 on failure. */
static int notice_load(struct db *db, const char *id, struct notice *n)
{
	const char *params[1] = { id };
	PGresult *res = db_exec(db, "SELECT comune_id, title, body, urgent, status, "
	                            "fanout_channel_id, fanout_subscriber_id "
	                            "FROM notices WHERE id = $1::uuid", 1, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 1;
	}
	n->id = id;
	n->comune_id = xstrdup(PQgetvalue(res, 0, 0));
	for (int i = 0; i < 2; i++) {
		n->params[i] = render_clip(PQgetvalue(res, 0, 1 + i), RENDER_WA_PARAM_MAX);
		render_wa_param(n->params[i]);
	}
	n->tg_text = render_tg_notice(PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	n->urgent = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	n->status = xstrdup(PQgetvalue(res, 0, 4));
	n->ch_from = atoll(PQgetvalue(res, 0, 5));
	n->sub_from = atoll(PQgetvalue(res, 0, 6));
	PQclear(res);
	return 0;
}

/* Releases what notice_load allocated. */
static void notice_free(struct notice *n)
{
	free(n->comune_id);
	free(n->params[0]);
	free(n->params[1]);
	free(n->tg_text);
	free(n->status);
}

/* Packs job with the notice's content for ch and produces it into the batch. */
static int produce(struct service *svc, struct kq_batch *b, const struct notice *n,
                   const struct channel *ch, Banditore__V1__DeliveryJob *job)
{
	Banditore__V1__TemplateContent tpl = BANDITORE__V1__TEMPLATE_CONTENT__INIT;
	Banditore__V1__TextContent text = BANDITORE__V1__TEXT_CONTENT__INIT;
	Banditore__V1__EventMeta meta;
	char id[UUID_STR_LEN + 1];
	size_t len;
	void *buf;
	int rc;

	event_meta_fill(&meta, id, n->comune_id);
	job->meta = &meta;
	job->channel_id = ch->id;
	job->sender_account = (char *)ch->sender;
	if (ch->telegram) {
		job->kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
		text.body = n->tg_text;
		text.html = true;
		job->content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT;
		job->text = &text;
	} else {
		job->kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP;
		tpl.name = (char *)ch->tpl;
		tpl.language = (char *)ch->lang;
		tpl.n_body_params = 2;
		tpl.body_params = (char **)n->params;
		job->content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
		job->template_ = &tpl;
	}
	buf = event_pack(&job->base, &len);
	rc = kq_batch_produce(svc->kp, b, n->urgent ? TOPIC_DELIVERY_URGENT : TOPIC_DELIVERY_JOBS,
	                      ch->sender, strlen(ch->sender), buf, len);
	free(buf);
	return rc;
}

/* Produces one subscriber's job into the batch. */
static int produce_job(struct service *svc, struct kq_batch *b, const struct notice *n,
                       const struct channel *ch, long long sub_id, const char *address)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	int rc;

	job.job_id = job_id_make("notice", n->id, ch->id, sub_id);
	job.address = (char *)address;
	job.subscriber_id = sub_id;
	job.notice_id = (char *)n->id;
	job.purpose = BANDITORE__V1__JOB_PURPOSE__PURPOSE_NOTICE;
	job.requires_consent = true;
	rc = produce(svc, b, n, ch, &job);
	free(job.job_id);
	return rc;
}

/* Records that every job up to sub_id on channel is acknowledged. */
static int checkpoint(struct db *db, const char *notice_id, long long ch_id,
                      long long sub_id, int count)
{
	char ch[24], sub[24], cnt[16];
	const char *params[4] = { notice_id, ch, sub, cnt };

	snprintf(ch, sizeof(ch), "%lld", ch_id);
	snprintf(sub, sizeof(sub), "%lld", sub_id);
	snprintf(cnt, sizeof(cnt), "%d", count);
	return db_cmd(db, "UPDATE notices SET status = 'sending', fanout_channel_id = $2::bigint, "
	                  "fanout_subscriber_id = $3::bigint, recipients = recipients + $4::int "
	                  "WHERE id = $1::uuid", 4, params);
}

/* One page of a channel's audience after *last. Returns rows, or -1. */
static int fanout_page(struct service *svc, const struct notice *n,
                       const struct channel *ch, long long *last, long page)
{
	char chs[24], lasts[24], pages[24];
	const char *params[3] = { chs, lasts, pages };
	struct kq_batch b;
	PGresult *res;
	int rows;

	snprintf(chs, sizeof(chs), "%lld", ch->id);
	snprintf(lasts, sizeof(lasts), "%lld", *last);
	snprintf(pages, sizeof(pages), "%ld", page);
	res = db_exec(svc->db, "SELECT id, address FROM subscribers WHERE channel_id = $1::bigint "
	                       "AND status = 'active' AND id > $2::bigint ORDER BY id LIMIT $3::int",
	              3, params);
	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	kq_batch_init(&b);
	for (int i = 0; i < rows; i++)
		if (produce_job(svc, &b, n, ch, atoll(PQgetvalue(res, i, 0)), PQgetvalue(res, i, 1)) != 0)
			break;
	if (rows > 0)
		*last = atoll(PQgetvalue(res, rows - 1, 0));
	PQclear(res);
	if (kq_batch_wait(svc->kp, &b) != 0 || checkpoint(svc->db, n->id, ch->id, *last, rows) != 0)
		return -1;
	metric_add(&m_jobs, rows);
	return rows;
}

/*
 * Telegram channel mode: the one post of the notice to the public channel,
 * acknowledged, then checkpointed as FANOUT_POSTED. Its job id
 * "post:<notice>:<channel>" is the same on every try, so a post produced
 * again after a crash is sent once (the dispatcher's ledger).
 */
static int fanout_post(struct service *svc, const struct notice *n, const struct channel *ch)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	struct kq_batch b;
	int rc;

	job.job_id = xasprintf("post:%s:%lld", n->id, ch->id);
	job.address = (char *)ch->tg_public;
	/* notice_id stays empty: it names the notice of PURPOSE_NOTICE jobs only
	 * (one per subscriber); the post's job id carries the notice. */
	job.purpose = BANDITORE__V1__JOB_PURPOSE__PURPOSE_CHANNEL_POST;
	job.requires_consent = false;   /* Telegram keeps the channel's members */
	kq_batch_init(&b);
	rc = produce(svc, &b, n, ch, &job);
	free(job.job_id);
	if (kq_batch_wait(svc->kp, &b) != 0 || rc != 0 ||
	    checkpoint(svc->db, n->id, ch->id, FANOUT_POSTED, 0) != 0)
		return -1;
	metric_add(&m_jobs, 1);
	log_info("fanout.posted", "notice %s to Telegram channel %s", n->id, ch->tg_public);
	return 0;
}

/* Fans the notice out on one channel from its checkpoint. */
static int fanout_channel(struct service *svc, const struct notice *n,
                          const struct channel *ch, long page)
{
	long long last = ch->id == n->ch_from ? n->sub_from : 0;
	int rows;

	/* A checkpoint on this channel past 0 means its post is acknowledged. */
	if (ch->telegram && ch->tg_public[0] != '\0' && last == 0) {
		if (fanout_post(svc, n, ch) != 0)
			return -1;
		last = FANOUT_POSTED;
	}
	if (ch->telegram && !ch->tg_bot)
		return 0;
	while ((rows = fanout_page(svc, n, ch, &last, page)) > 0)
		;
	return rows < 0 ? -1 : 0;
}

/* Every WhatsApp and Telegram channel of the comune from the checkpoint's channel on. */
static int fanout_channels(struct service *svc, const struct notice *n, long page)
{
	char from[24];
	const char *params[2] = { n->comune_id, from };
	PGresult *res;
	int rc = 0;

	snprintf(from, sizeof(from), "%lld", n->ch_from);
	res = db_exec(svc->db, "SELECT id, kind, sender_account, wa_template, wa_template_lang, "
	                       "tg_public_channel, tg_bot_mode FROM channels "
	                       "WHERE comune_id = $1 AND kind IN ('whatsapp', 'telegram') "
	                       "AND id >= $2::bigint ORDER BY id", 2, params);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		struct channel ch = {
			.id = atoll(PQgetvalue(res, i, 0)),
			.telegram = strcmp(PQgetvalue(res, i, 1), "telegram") == 0,
			.sender = PQgetvalue(res, i, 2),
			.tpl = PQgetvalue(res, i, 3),
			.lang = PQgetvalue(res, i, 4),
			.tg_public = PQgetvalue(res, i, 5),
			.tg_bot = strcmp(PQgetvalue(res, i, 6), "t") == 0,
		};
		rc = fanout_channel(svc, n, &ch, page);
	}
	PQclear(res);
	return rc;
}

int fanout_run(struct service *svc, const char *notice_id, long page)
{
	static bool registered;
	const char *params[1] = { notice_id };
	struct notice n = { 0 };
	int rc = notice_load(svc->db, notice_id, &n);

	if (!registered) {
		metrics_register(&m_jobs);
		registered = true;
	}
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (strcmp(n.status, "approved") == 0 || strcmp(n.status, "sending") == 0) {
		log_info("fanout.start", "notice %s from channel %lld subscriber %lld%s", notice_id,
		         n.ch_from, n.sub_from, n.urgent ? " (urgent)" : "");
		rc = fanout_channels(svc, &n, page);
		if (rc == 0)
			rc = db_cmd(svc->db, "UPDATE notices SET status = 'sent', sent_at = now() "
			                     "WHERE id = $1::uuid AND status IN ('approved', 'sending')", 1, params);
		if (rc == 0)
			log_info("fanout.done", "notice %s fanned out", notice_id);
	}
	notice_free(&n);
	return rc;
}
