/* Alerting approvers of notices waiting for them; see approval.h. */
#include "approval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "kafka.h"
#include "log.h"
#include "render.h"
#include "staff_alert.h"
#include "workflow.h"
#include "utf8.h"
#include "xmalloc.h"

/* Notices due for an alert, 20 per pass (the rest wait for the next). */
static const char SQL_WAITING[] =
    "SELECT n.id, n.version, n.comune_id, n.title, n.author, n.urgent, c.name "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id WHERE n.status = 'submitted' "
    "AND n.approval_alerted_version IS DISTINCT FROM n.version AND (n.urgent OR "
    "n.submitted_at <= now() - make_interval(secs => $1::int)) "
    "ORDER BY n.urgent DESC, n.submitted_at LIMIT 20";

/* $1 notice, $2 version, $3 comune: who may approve it, four eyes kept. */
static const char SQL_APPROVERS[] =
    "SELECT s.id, " SA_TARGET_COLS("s.alert_kind", "s.alert_address") " FROM staff s "
    "JOIN api_keys k ON k.id = s.api_key_id " SA_CHANNEL_JOIN("s.alert_kind", "$3")
    "WHERE NOT s.disabled AND k.revoked_at IS NULL AND s.alert_address IS NOT NULL "
    "AND ((s.role = 'approver' AND k.comune_id = $3) OR (s.role = 'consortium' AND "
    "(k.comune_id = $3 OR k.consortium_all OR $3 = ANY (k.consortium_comuni)))) "
    "AND NOT " WF_CONTRIBUTED_SQL("$1::uuid", "s.api_key_id", "$2::int") " ORDER BY s.id";

void approval_body(char *out, size_t size, const char *author, int urgent, int has_link)
{
	utf8_format(out, size, "%s scritto da %s: attende l'approvazione di un'altra persona "
	            "(regola dei quattro occhi). %s",
	            urgent ? "Avviso URGENTE" : "Avviso", *author ? author : "un redattore",
	            has_link ? "Aprilo nella console, pagina Da approvare:"
	                     : "Aprilo nella console, pagina Da approvare.");
}

char *approval_link(const char *console_url)
{
	if (console_url == NULL || *console_url == '\0')
		return xstrdup("");
	return xasprintf("%s#/da-approvare", console_url);
}

/* The notice of row r of SQL_WAITING. */
struct waiting {
	const char *id, *version, *comune, *title, *author, *comune_name;
	bool urgent;
};

/* Produces the job of approver row r into b; 0, 1 skipped, -1. */
static int alert_one(struct composer *cmp, struct kq_batch *b, const struct waiting *w,
                     struct sa_message *m, PGresult *res, int r)
{
	struct sa_target t;
	char jid[160];

	if (sa_target_row(&t, res, r, 1) != 0) {
		log_warn("approval.no_channel", "staff %s: comune %s has no %s channel to alert "
		         "them from", PQgetvalue(res, r, 0), w->comune, t.kind);
		return 1;
	}
	snprintf(jid, sizeof(jid), "approval-alert:%s:v%s:%s", w->id, w->version,
	         PQgetvalue(res, r, 0));
	m->job_id = jid;
	return sa_produce(cmp->svc.kp, b, &t, m);
}

/* Alerts the approvers of w; the number alerted or -1. */
static int alert_notice(struct composer *cmp, struct db *db, const struct waiting *w)
{
	const char *params[3] = { w->id, w->version, w->comune };
	char title[RENDER_WA_TITLE_MAX * 4], body[600];
	char *link = approval_link(cmp->console_url);
	struct sa_message m = { NULL, w->comune, title, body, link, "", w->comune_name };
	struct kq_batch b;
	PGresult *res = db_exec(db, SQL_APPROVERS, 3, params);
	int n = 0, rc = 0;

	if (res == NULL) {
		free(link);
		return -1;
	}
	utf8_format(title, sizeof(title), "Da approvare: %s", w->title);
	approval_body(body, sizeof(body), w->author, w->urgent, *link != '\0');
	kq_batch_init(&b);
	for (int r = 0; r < PQntuples(res) && rc >= 0; r++) {
		rc = alert_one(cmp, &b, w, &m, res, r);
		n += rc == 0;
	}
	if (kq_batch_wait(cmp->svc.kp, &b) != 0)
		rc = -1;
	PQclear(res);
	free(link);
	return rc < 0 ? -1 : n;
}

/* Records that w's version was alerted. 0 or -1. */
static int alert_record(struct db *db, const struct waiting *w)
{
	const char *params[2] = { w->id, w->version };

	return db_cmd(db, "UPDATE notices SET approval_alerted_version = $2::int "
	                  "WHERE id = $1::uuid AND version = $2::int", 2, params);
}

int approval_pass(struct composer *cmp, struct db *db)
{
	char delay[24];
	const char *params[1] = { delay };
	PGresult *res;
	int rc = 0;

	snprintf(delay, sizeof(delay), "%ld", cmp->approval_alert_s);
	res = db_exec(db, SQL_WAITING, 1, params);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		struct waiting w = { PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			             PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
			             PQgetvalue(res, i, 4), PQgetvalue(res, i, 6),
			             PQgetvalue(res, i, 5)[0] == 't' };
		int n = alert_notice(cmp, db, &w);

		if (n < 0 || alert_record(db, &w) != 0) {
			rc = -1;
			break;
		}
		log_info("approval.alerted", "notice %s version %s of %s: %d approver(s) alerted%s",
		         w.id, w.version, w.comune, n, w.urgent ? " (urgent)" : "");
	}
	PQclear(res);
	return rc;
}
