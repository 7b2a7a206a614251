/* Notice events for drafts; see nevents.h. */
#include "nevents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "events.h"

#define A(x) BANDITORE__V1__NOTICE_ACTION__NOTICE_##x

void nevents_uuid(const char *name, char out[UUID_STR_LEN + 1])
{
	char h[SHA256_HEX_LEN + 1];

	sha256_hex(name, strlen(name), h);
	h[12] = '5';
	h[16] = "89ab"[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
	snprintf(out, UUID_STR_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
	         h + 20);
}

static int64_t now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Fills the envelope and produces ev (action and fields set by the caller). */
static int produce(struct feeds *f, struct kq_batch *b, Banditore__V1__NoticeEvent *ev,
                   const char *comune_id, const char *what)
{
	Banditore__V1__EventMeta meta = BANDITORE__V1__EVENT_META__INIT;
	char name[128], eid[UUID_STR_LEN + 1];
	size_t len;
	void *buf;
	int rc;

	snprintf(name, sizeof(name), "cap-event:%s:%s", ev->notice_id, what);
	nevents_uuid(name, eid);
	meta.id = eid;
	meta.comune_id = (char *)comune_id;
	meta.ts_ms = now_ms();
	meta.schema_version = EVENT_SCHEMA_VERSION;
	ev->meta = &meta;
	ev->actor = f->author;
	ev->actor_role = "editor";
	ev->actor_key_id = 0;
	buf = event_pack(&ev->base, &len);
	rc = kq_batch_produce(f->kp, b, TOPIC_NOTICE_EVENTS, ev->notice_id, strlen(ev->notice_id),
	                      buf, len);
	free(buf);
	return rc;
}

int nevents_draft(struct feeds *f, struct kq_batch *b, const struct nevents_draft *d)
{
	static char *topics[] = { NEVENTS_TOPIC_SLUG };
	Banditore__V1__NoticeEvent ev = BANDITORE__V1__NOTICE_EVENT__INIT;

	ev.action = A(CREATE);
	ev.notice_id = (char *)d->notice_id;
	ev.title = (char *)d->title;
	ev.body = (char *)d->body;
	ev.link = (char *)d->link;
	ev.urgent = 1;
	ev.topics = topics;
	ev.n_topics = 1;
	ev.category = "civil_protection";
	ev.version = 1;
	if (produce(f, b, &ev, d->comune_id, "create") != 0)
		return -1;
	if (!d->submit)
		return 0;
	ev = (Banditore__V1__NoticeEvent)BANDITORE__V1__NOTICE_EVENT__INIT;
	ev.action = A(SUBMIT);
	ev.notice_id = (char *)d->notice_id;
	ev.version = 1;
	return produce(f, b, &ev, d->comune_id, "submit");
}

int nevents_cancel(struct feeds *f, struct kq_batch *b, const char *notice_id,
                   const char *comune_id, const char *reason)
{
	Banditore__V1__NoticeEvent ev = BANDITORE__V1__NOTICE_EVENT__INIT;

	ev.action = A(CANCEL);
	ev.notice_id = (char *)notice_id;
	ev.reason = (char *)reason;
	return produce(f, b, &ev, comune_id, "cancel");
}
