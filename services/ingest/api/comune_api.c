/* GET and PATCH /api/v1/comune (comune_api.h). */
#include "api/comune_api.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comune_rules.h"
#include "db.h"
#include "http.h"
#include "xmalloc.h"
#include "api/comune_job.h"
#include "api/comune_patch.h"
#include "api/editor_api.h"
#include "core/reply.h"

static const char SQL_VIEW[] =
    "SELECT json_build_object('comune', id, 'name', name, "
    "'quiet_start', to_char(quiet_start, 'HH24:MI'), 'quiet_end', to_char(quiet_end, 'HH24:MI'), "
    "'time_zone', time_zone, 'contact_text', contact_text, 'privacy_url', privacy_url, "
    "'join_keywords', join_keywords, 'leave_keywords', leave_keywords, "
    "'topics_keywords', topics_keywords, 'help_keywords', help_keywords, "
    "'auto_reply_every_s', auto_reply_every_s, 'wa_price_eur', wa_price_eur, "
    "'allow_single_urgent', allow_single_urgent)::text FROM comuni WHERE id = $1";

static const char SQL_CHANGES[] =
    "SELECT coalesce(json_agg(json_build_object('at', to_char(c.at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'actor', c.actor, 'actor_kind', c.actor_kind, "
    "'field', c.field, 'old', c.old_value, 'new', c.new_value) ORDER BY c.at DESC, c.id DESC), "
    "'[]')::text FROM (SELECT * FROM comune_changes WHERE comune_id = $1 "
    "ORDER BY at DESC, id DESC LIMIT 20) c";

/* ["ATTIVA", ...] from a list of words separated by spaces. */
static json_t *words_json(const char *words)
{
	json_t *arr = json_array();

	for (const char *p = words; *p != '\0';) {
		size_t n = strcspn(p, " ");
		json_array_append_new(arr, json_stringn(p, n));
		p += n;
		p += strspn(p, " ");
	}
	return arr;
}

/* The JSON of one text column of a one-row result, or NULL. */
static json_t *read_json(struct db *db, const char *sql, const char *comune)
{
	const char *params[1] = { comune };
	PGresult *res = db_read(db, sql, 1, params);
	json_t *out = NULL;

	if (res != NULL && PQntuples(res) == 1)
		out = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	if (res != NULL)
		PQclear(res);
	return out;
}

/* Worker: the settings, the defaults of the keyword lists, the last changes. */
static int comune_view(struct db *db, struct comune_job *cj)
{
	json_t *view = read_json(db, SQL_VIEW, cj->comune), *changes;

	if (view == NULL)
		return -1;
	changes = read_json(db, SQL_CHANGES, cj->comune);
	if (changes == NULL) {
		json_decref(view);
		return -1;
	}
	json_object_set_new(
	    view, "default_keywords",
	    json_pack("{s:o, s:o, s:o, s:o}", "join", words_json(CRULE_DEFAULT_JOIN), "leave",
	              words_json(CRULE_DEFAULT_LEAVE), "topics", words_json(CRULE_DEFAULT_TOPICS),
	              "help", words_json(CRULE_DEFAULT_HELP)));
	json_object_set_new(view, "changes", changes);
	json_decref(cj->out);
	cj->out = view;
	cj->status = 200;
	return 0;
}

/* Worker: the current values of every settable field, the row locked. */
static PGresult *comune_lock(struct db *db, const char *comune)
{
	char sql[1024];
	size_t n = (size_t)snprintf(sql, sizeof(sql), "SELECT ");
	const char *params[1] = { comune };

	for (int i = 0; i < COMUNE_NFIELDS; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s%s", i > 0 ? ", " : "",
		                      comune_fields[i].read_sql);
	snprintf(sql + n, sizeof(sql) - n, " FROM comuni WHERE id = $1 FOR UPDATE");
	return db_exec(db, sql, 1, params);
}

/* Worker: 0 if the new value of field i is acceptable to PostgreSQL's
 * data (a time zone it knows, no topic's keyword in a list); 1 after
 * setting the 400 or 409; -1. */
static int comune_check(struct db *db, struct comune_job *cj, int i, const char *value)
{
	const char *params[2] = { cj->comune, value };
	char msg[160];
	PGresult *res;
	int rc = 0;

	if (comune_fields[i].kind == CK_TZ) {
		res = db_exec(db, "SELECT 1 FROM pg_timezone_names WHERE name = $1", 1, params + 1);
		if (res != NULL && PQntuples(res) == 0)
			rc = 1 + comune_job_fail(
			             cj, 400, "invalid", comune_fields[i].name,
			             "not a time zone the database knows (e.g. Europe/Rome)");
	} else if (comune_fields[i].kind == CK_KEYWORDS) {
		res = db_exec(db,
		              "SELECT keyword, slug FROM topics WHERE comune_id = $1 "
		              "AND keyword = ANY (string_to_array($2, ',')) LIMIT 1",
		              2, params);
		if (res != NULL && PQntuples(res) == 1) {
			snprintf(msg, sizeof(msg), "%s is the keyword of topic %s",
			         PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
			rc = 1 + comune_job_fail(cj, 409, "conflict", comune_fields[i].name, msg);
			json_object_set_new(cj->out, "clash", json_string("topic"));
			json_object_set_new(cj->out, "topic", json_string(PQgetvalue(res, 0, 1)));
		}
	} else {
		return 0;
	}
	if (res == NULL)
		return -1;
	PQclear(res);
	return rc;
}

/* Worker: field i from old to value, recorded; 0, 1 (answer set) or -1. */
static int comune_apply(struct db *db, struct comune_job *cj, int i, const char *old,
                        const char *value)
{
	char sql[256];
	const char *params[2] = { cj->comune, value };
	int rc;

	if (strcmp(old, value) == 0)
		return 0;
	if ((rc = comune_check(db, cj, i, value)) != 0)
		return rc;
	snprintf(sql, sizeof(sql), "UPDATE comuni SET %s = %s WHERE id = $1", comune_fields[i].name,
	         comune_fields[i].write_sql);
	if (db_cmd(db, sql, 2, params) != 0)
		return -1;
	return comune_audit(db, cj, comune_fields[i].name, old, value);
}

/* Worker: the fields given, changed in one transaction, then the view. */
static int comune_patch_work(struct db *db, struct comune_job *cj)
{
	struct comune_patch *p = cj->arg;
	PGresult *old;
	int rc = 0;

	if (db_begin(db) != 0)
		return -1;
	if ((old = comune_lock(db, cj->comune)) == NULL || PQntuples(old) != 1) {
		if (old != NULL)
			PQclear(old);
		db_rollback(db);
		return -1;
	}
	for (int i = 0; i < COMUNE_NFIELDS && rc == 0; i++)
		if (p->values[i] != NULL)
			rc = comune_apply(db, cj, i, PQgetvalue(old, 0, i), p->values[i]);
	PQclear(old);
	if (rc != 0) {
		db_rollback(db);
		return rc < 0 ? -1 : 0;
	}
	if (db_commit(db) != 0)
		return -1;
	return comune_view(db, cj);
}

/* Frees a comune_patch (a job's arg). */
static void patch_free(void *arg)
{
	if (arg != NULL)
		comune_patch_free(arg);
	free(arg);
}

/* The body of a PATCH into a new comune_patch; NULL after answering 400. */
static struct comune_patch *patch_parse(struct evhttp_request *req)
{
	struct comune_patch *p = xcalloc(1, sizeof(*p));
	struct editor_error err;
	json_t *root = editor_body_json(req, &err);
	int rc = root != NULL ? comune_patch_parse(root, p, &err) : -1;

	json_decref(root);
	if (rc != 0) {
		free(p);
		editor_reply_invalid(req, &err);
		return NULL;
	}
	return p;
}

void comune_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	bool patch = evhttp_request_get_command(req) == EVHTTP_REQ_PATCH;
	struct comune_patch *p = NULL;
	struct comune_job *cj;

	if (!comune_job_allowed(req, ra, patch))
		return;
	if (patch && (p = patch_parse(req)) == NULL)
		return;
	cj = comune_job_new(req, ra, patch, patch ? comune_patch_work : comune_view, p, patch_free);
	if (cj != NULL)
		comune_job_queue(ing, cj);
}
