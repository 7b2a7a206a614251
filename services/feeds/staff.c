/* Staff alerts for drafts waiting for approval; see staff.h. */
#include "staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "events.h"
#include "log.h"
#include "render.h"
#include "utf8.h"
#include "xmalloc.h"

static const char SQL_CONTACTS[] =
    "SELECT s.id, s.kind, s.address, ch.id, ch.sender_account, ch.wa_template, "
    "ch.wa_template_lang, c.name FROM staff_contacts s JOIN comuni c ON c.id = s.comune_id "
    "LEFT JOIN LATERAL (SELECT id, sender_account, wa_template, wa_template_lang FROM channels "
    "WHERE comune_id = s.comune_id AND kind = s.kind AND NOT disabled ORDER BY id LIMIT 1) ch "
    "ON true WHERE s.comune_id = $1 ORDER BY s.id";

/* The review link: BND_FEEDS_REVIEW_URL with {id} replaced, else link. */
static char *review_link(const struct feeds *f, const struct staff_draft *d)
{
	const char *at = strstr(f->review_url, "{id}");

	if (f->review_url[0] == '\0')
		return xstrdup(d->link);
	if (at == NULL)
		return xstrdup(f->review_url);
	return xasprintf("%.*s%s%s", (int)(at - f->review_url), f->review_url, d->notice_id, at + 4);
}

/* Fills and produces one job (content set by the caller). */
static int produce(struct feeds *f, struct kq_batch *b, Banditore__V1__DeliveryJob *job,
                   const struct staff_draft *d, PGresult *res, int r)
{
	Banditore__V1__EventMeta meta = BANDITORE__V1__EVENT_META__INIT;
	char id[UUID_STR_LEN + 1], jid[128];
	struct timeval tv;
	size_t len;
	void *buf;
	int rc;

	uuid_v4(id);
	gettimeofday(&tv, NULL);
	meta.id = id;
	meta.comune_id = (char *)d->comune_id;
	meta.ts_ms = (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	meta.schema_version = EVENT_SCHEMA_VERSION;
	snprintf(jid, sizeof(jid), "staff-alert:%s:%s", d->notice_id, PQgetvalue(res, r, 0));
	job->meta = &meta;
	job->job_id = jid;
	job->kind = strcmp(PQgetvalue(res, r, 1), "whatsapp") == 0
	                ? BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP
	                : BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
	job->channel_id = atoll(PQgetvalue(res, r, 3));
	job->sender_account = PQgetvalue(res, r, 4);
	job->address = PQgetvalue(res, r, 2);
	job->purpose = BANDITORE__V1__JOB_PURPOSE__PURPOSE_REPLY;
	job->requires_consent = false;   /* staff, not subscribers */
	job->urgent = true;
	buf = event_pack(&job->base, &len);
	rc = kq_batch_produce(f->kp, b, TOPIC_DELIVERY_URGENT, job->sender_account,
	                      strlen(job->sender_account), buf, len);
	free(buf);
	return rc;
}

/* One contact: the template (WhatsApp) or the text (Telegram). */
static int alert_one(struct feeds *f, struct kq_batch *b, const struct staff_draft *d,
                     const char *title, const char *body, const char *link, PGresult *res, int r)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	Banditore__V1__TemplateContent tpl = BANDITORE__V1__TEMPLATE_CONTENT__INIT;
	Banditore__V1__TextContent text = BANDITORE__V1__TEXT_CONTENT__INIT;
	char *p[3] = { NULL, NULL, NULL }, *tg = NULL;
	int rc;

	if (strcmp(PQgetvalue(res, r, 1), "whatsapp") == 0) {
		render_wa_params(title, body, link, "", PQgetvalue(res, r, 7), p);
		tpl.name = PQgetvalue(res, r, 5);
		tpl.language = PQgetvalue(res, r, 6);
		tpl.n_body_params = 3;
		tpl.body_params = p;
		job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
		job.template_ = &tpl;
	} else {
		tg = render_tg_full(title, body, link, "");
		text.body = tg;
		text.html = true;
		job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT;
		job.text = &text;
	}
	rc = produce(f, b, &job, d, res, r);
	for (int i = 0; i < 3; i++)
		free(p[i]);
	free(tg);
	return rc;
}

int staff_alert(struct feeds *f, struct kq_batch *b, const struct staff_draft *d)
{
	const char *params[1] = { d->comune_id };
	PGresult *res = db_exec(f->db, SQL_CONTACTS, 1, params);
	char title[RENDER_WA_TITLE_MAX * 4], *body, *link;
	int n = 0, rc = 0;

	if (res == NULL)
		return -1;
	utf8_format(title, sizeof(title), "Da approvare: %s", d->title);
	body = xasprintf("Bozza urgente pronta, in attesa di approvazione (avviso %s).\n\n%s",
	                 d->notice_id, d->body);
	link = review_link(f, d);
	for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
		if (PQgetisnull(res, r, 3)) {
			log_warn("feeds.staff_no_channel", "staff contact %s of %s: the comune has no %s "
			         "channel", PQgetvalue(res, r, 0), d->comune_id, PQgetvalue(res, r, 1));
			continue;
		}
		rc = alert_one(f, b, d, title, body, link, res, r);
		n += rc == 0;
	}
	PQclear(res);
	free(body);
	free(link);
	return rc == 0 ? n : -1;
}
