/* notice.events -> notices table -> fan-out on approval. */
#include "notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "fanout.h"
#include "log.h"
#include "xmalloc.h"

/* PostgreSQL array literal of text values: {"a","b"} with escaping. */
static char *pg_text_array(char **items, size_t n)
{
	size_t cap = 3;
	for (size_t i = 0; i < n; i++)
		cap += 2 * strlen(items[i]) + 3;
	char *out = xmalloc(cap), *w = out;

	*w++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*w++ = ',';
		*w++ = '"';
		for (const char *r = items[i]; *r != '\0'; r++) {
			if (*r == '"' || *r == '\\')
				*w++ = '\\';
			*w++ = *r;
		}
		*w++ = '"';
	}
	*w++ = '}';
	*w = '\0';
	return out;
}

/* Records the state change itself (who, what, when), once per event. */
static int record_event(struct db *db, const Banditore__V1__NoticeEvent *ev, const char *action)
{
	const char *params[4] = { ev->notice_id, ev->meta->id, action, ev->actor };
	return db_cmd(db, "INSERT INTO notice_events (notice_id, event_id, action, actor) "
	                  "SELECT $1::uuid, $2, $3, $4 WHERE EXISTS "
	                  "(SELECT 1 FROM notices WHERE id = $1::uuid) "
	                  "ON CONFLICT (event_id) DO NOTHING", 4, params);
}

/* CREATE: a new draft. Replays do nothing. */
static enum work_result notice_create(struct db *db, const Banditore__V1__NoticeEvent *ev)
{
	char *topics = pg_text_array(ev->topics, ev->n_topics);
	const char *params[7] = { ev->notice_id, ev->meta->comune_id, ev->actor, ev->title,
	                          ev->body, ev->urgent ? "t" : "f", topics };
	int rc = db_begin(db);

	if (rc == 0)
		rc = db_cmd(db, "INSERT INTO notices (id, comune_id, author, title, body, urgent, topics) "
		                "VALUES ($1::uuid, $2, $3, $4, $5, $6::boolean, $7::text[]) "
		                "ON CONFLICT (id) DO NOTHING", 7, params);
	if (rc == 0)
		rc = record_event(db, ev, "create");
	if (rc == 0)
		rc = db_commit(db);
	free(topics);
	if (rc != 0) {
		db_rollback(db);
		return WORK_RETRY;
	}
	log_info("notice.created", "notice %s of comune %s by %s", ev->notice_id,
	         ev->meta->comune_id, ev->actor);
	return WORK_DONE;
}

/* The notice's comune and status; 0, 1 if absent, -1 on failure. */
static int notice_state(struct db *db, const char *id, char comune[64], char status[16])
{
	const char *params[1] = { id };
	PGresult *res = db_exec(db, "SELECT comune_id, status FROM notices WHERE id = $1::uuid",
	                        1, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 1;
	}
	snprintf(comune, 64, "%s", PQgetvalue(res, 0, 0));
	snprintf(status, 16, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

/* APPROVE / CANCEL: a transition from the states it is allowed from. */
static enum work_result notice_transition(struct composer *cmp,
                                          const Banditore__V1__NoticeEvent *ev, bool approve)
{
	struct service *svc = &cmp->svc;
	const char *params[2] = { ev->notice_id, ev->actor };
	char comune[64], status[16];
	int rc = notice_state(svc->db, ev->notice_id, comune, status);

	if (rc != 0) {
		if (rc > 0)
			log_warn("notice.unknown", "%s for unknown notice %s",
			         approve ? "approval" : "cancellation", ev->notice_id);
		return rc < 0 ? WORK_RETRY : WORK_REJECT;
	}
	if (strcmp(comune, ev->meta->comune_id) != 0) {
		log_warn("notice.wrong_comune", "comune %s may not act on notice %s of comune %s",
		         ev->meta->comune_id, ev->notice_id, comune);
		return WORK_REJECT;
	}
	if (approve)
		rc = db_cmd(svc->db, "UPDATE notices SET status = 'approved', approver = $2, "
		                     "approved_at = now() WHERE id = $1::uuid AND status = 'draft'",
		            2, params);
	else
		rc = db_cmd(svc->db, "UPDATE notices SET status = 'cancelled' WHERE id = $1::uuid "
		                     "AND status IN ('draft', 'approved')", 1, params);
	if (rc == 0)
		rc = record_event(svc->db, ev, approve ? "approve" : "cancel");
	if (rc != 0)
		return WORK_RETRY;
	/* Also resumes a fan-out cut short by a crash (status sending). */
	if (approve && fanout_run(svc, ev->notice_id, cmp->fanout_page) != 0)
		return WORK_RETRY;
	return WORK_DONE;
}

enum work_result notices_handle(const rd_kafka_message_t *msg, void *arg)
{
	struct composer *cmp = arg;
	Banditore__V1__NoticeEvent *ev;
	enum work_result r;

	ev = banditore__v1__notice_event__unpack(NULL, msg->len, msg->payload);
	if (ev == NULL || ev->meta == NULL || ev->notice_id == NULL || ev->actor == NULL ||
	    ev->meta->comune_id == NULL || ev->meta->id == NULL) {
		log_error("notice.undecodable", "offset %lld is not a valid NoticeEvent",
		          (long long)msg->offset);
		if (ev != NULL)
			banditore__v1__notice_event__free_unpacked(ev, NULL);
		return WORK_REJECT;
	}
	switch (ev->action) {
	case BANDITORE__V1__NOTICE_ACTION__NOTICE_CREATE:
		r = notice_create(cmp->svc.db, ev);
		break;
	case BANDITORE__V1__NOTICE_ACTION__NOTICE_APPROVE:
		r = notice_transition(cmp, ev, true);
		break;
	case BANDITORE__V1__NOTICE_ACTION__NOTICE_CANCEL:
		r = notice_transition(cmp, ev, false);
		break;
	default:
		log_warn("notice.unknown_action", "action %d ignored", (int)ev->action);
		r = WORK_REJECT;
	}
	banditore__v1__notice_event__free_unpacked(ev, NULL);
	return r;
}
