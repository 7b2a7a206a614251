/* One message to a member of the staff; see staff_alert.h. */
#include "staff_alert.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "crypto.h"
#include "events.h"
#include "render.h"

int sa_target_row(struct sa_target *t, const PGresult *res, int r, int col)
{
	t->kind = PQgetvalue(res, r, col);
	t->address = PQgetvalue(res, r, col + 1);
	if (PQgetisnull(res, r, col + 2))
		return 1;
	t->channel_id = atoll(PQgetvalue(res, r, col + 2));
	t->sender_account = PQgetvalue(res, r, col + 3);
	t->wa_template = PQgetvalue(res, r, col + 4);
	t->wa_lang = PQgetvalue(res, r, col + 5);
	return 0;
}

/* The job's fixed fields: meta, id, channel, address. */
static void job_head(Banditore__V1__DeliveryJob *job, Banditore__V1__EventMeta *meta,
                     char id[UUID_STR_LEN + 1], const struct sa_target *t,
                     const struct sa_message *m)
{
	struct timeval tv;

	uuid_v4(id);
	gettimeofday(&tv, NULL);
	meta->id = id;
	meta->comune_id = (char *)m->comune_id;
	meta->ts_ms = (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	meta->schema_version = EVENT_SCHEMA_VERSION;
	job->meta = meta;
	job->job_id = (char *)m->job_id;
	job->kind = strcmp(t->kind, "whatsapp") == 0 ? BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP
	                                             : BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
	job->channel_id = t->channel_id;
	job->sender_account = (char *)t->sender_account;
	job->address = (char *)t->address;
	job->purpose = BANDITORE__V1__JOB_PURPOSE__PURPOSE_REPLY;
	job->requires_consent = false;   /* staff, not subscribers */
	job->urgent = true;
}

void *sa_job_pack(const struct sa_target *t, const struct sa_message *m, size_t *len)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	Banditore__V1__EventMeta meta = BANDITORE__V1__EVENT_META__INIT;
	Banditore__V1__TemplateContent tpl = BANDITORE__V1__TEMPLATE_CONTENT__INIT;
	Banditore__V1__TextContent text = BANDITORE__V1__TEXT_CONTENT__INIT;
	char id[UUID_STR_LEN + 1], *p[3] = { NULL, NULL, NULL }, *tg = NULL;
	void *buf;

	job_head(&job, &meta, id, t, m);
	if (job.kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP) {
		render_wa_params(m->title, m->body, m->link, m->archive, m->fallback, p);
		tpl.name = (char *)t->wa_template;
		tpl.language = (char *)t->wa_lang;
		tpl.n_body_params = 3;
		tpl.body_params = p;
		job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
		job.template_ = &tpl;
	} else {
		tg = render_tg_full(m->title, m->body, m->link, m->archive);
		text.body = tg;
		text.html = true;
		job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT;
		job.text = &text;
	}
	buf = event_pack(&job.base, len);
	for (int i = 0; i < 3; i++)
		free(p[i]);
	free(tg);
	return buf;
}

int sa_produce(struct kq_producer *kp, struct kq_batch *b, const struct sa_target *t,
               const struct sa_message *m)
{
	size_t len;
	void *buf = sa_job_pack(t, m, &len);
	int rc = kq_batch_produce(kp, b, TOPIC_DELIVERY_URGENT, t->sender_account,
	                          strlen(t->sender_account), buf, len);

	free(buf);
	return rc;
}
