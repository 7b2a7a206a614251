/* Staff alerts for drafts waiting for approval; see staff.h. */
#include "staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "log.h"
#include "render.h"
#include "staff_alert.h"
#include "utf8.h"
#include "xmalloc.h"

static const char SQL_CONTACTS[] =
    "SELECT s.id, " SA_TARGET_COLS("s.kind", "s.address") ", c.name FROM staff_contacts s "
    "JOIN comuni c ON c.id = s.comune_id " SA_CHANNEL_JOIN("s.kind", "s.comune_id")
    "WHERE s.comune_id = $1 ORDER BY s.id";

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

/* One contact (row r): the template (WhatsApp) or the text (Telegram). */
static int alert_one(struct feeds *f, struct kq_batch *b, const struct staff_draft *d,
                     const char *title, const char *body, const char *link, PGresult *res, int r)
{
	struct sa_target t;
	char jid[128];
	struct sa_message m = { jid, d->comune_id, title, body, link, "", PQgetvalue(res, r, 7) };

	if (sa_target_row(&t, res, r, 1) != 0) {
		log_warn("feeds.staff_no_channel", "staff contact %s of %s: the comune has no %s "
		         "channel", PQgetvalue(res, r, 0), d->comune_id, t.kind);
		return 1;
	}
	snprintf(jid, sizeof(jid), "staff-alert:%s:%s", d->notice_id, PQgetvalue(res, r, 0));
	return sa_produce(f->kp, b, &t, &m);
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
	for (int r = 0; r < PQntuples(res) && rc >= 0; r++) {
		rc = alert_one(f, b, d, title, body, link, res, r);
		n += rc == 0;
	}
	PQclear(res);
	free(body);
	free(link);
	return rc >= 0 ? n : -1;
}
