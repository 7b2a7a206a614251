/* The comune's topics from the editors' API (topics_api.h). */
#include "api/topics_api.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "http.h"
#include "utf8.h"
#include "xmalloc.h"
#include "api/comune_job.h"
#include "api/editor_api.h"
#include "core/reply.h"

static const char SQL_LIST[] =
    "SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name, "
    "'keyword', t.keyword, 'subscribers', (SELECT count(*) FROM subscribers s "
    "JOIN channels ch ON ch.id = s.channel_id WHERE ch.comune_id = t.comune_id "
    "AND s.status = 'active' AND t.slug = ANY (s.topics))) ORDER BY t.slug), '[]')::text "
    "FROM topics t WHERE t.comune_id = $1";

static const char SQL_LOCK[] =
    "SELECT array_to_string(join_keywords, ','), array_to_string(leave_keywords, ','), "
    "array_to_string(topics_keywords, ','), array_to_string(help_keywords, ',') "
    "FROM comuni WHERE id = $1 FOR UPDATE";

/* The slug field. */
static int body_slug(json_t *v, struct topic_body *tb, struct editor_error *err)
{
	if (!json_is_string(v) || !crule_slug_ok(json_string_value(v)))
		return editor_invalid(err, "slug", "1-32 of a-z, 0-9, '_' and '-'");
	snprintf(tb->slug, sizeof(tb->slug), "%s", json_string_value(v));
	return 0;
}

/* The name field: 1 to TOPIC_NAME_MAX_CHARS characters, one line. */
static int body_name(json_t *v, struct topic_body *tb, struct editor_error *err)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;

	if (s == NULL || s[0] == '\0' || utf8_chars(s) > TOPIC_NAME_MAX_CHARS ||
	    strpbrk(s, "\r\n\t") != NULL)
		return editor_invalid(err, "name", "1-%d characters on one line",
		                      TOPIC_NAME_MAX_CHARS);
	snprintf(tb->name, sizeof(tb->name), "%s", s);
	return 0;
}

/* The keyword field, folded: one word of 2-32 letters or digits. */
static int body_keyword(json_t *v, struct topic_body *tb, struct editor_error *err)
{
	const char *s = json_is_string(v) ? json_string_value(v) : "";

	if (crule_keyword_fold(s, strlen(s), tb->keyword) != 0 ||
	    !crule_topic_keyword_ok(tb->keyword))
		return editor_invalid(err, "keyword", "one word of 2-32 letters or digits");
	return 0;
}

int topic_body_parse(json_t *root, bool create, struct topic_body *tb, struct editor_error *err)
{
	const char *name;
	json_t *v;
	int rc = 0;

	memset(tb, 0, sizeof(*tb));
	if (!json_is_object(root))
		return editor_invalid(err, "", "the body must be a JSON object");
	json_object_foreach (root, name, v) {
		if (strcmp(name, "slug") == 0 && create)
			rc = body_slug(v, tb, err);
		else if (strcmp(name, "name") == 0)
			rc = body_name(v, tb, err);
		else if (strcmp(name, "keyword") == 0)
			rc = body_keyword(v, tb, err);
		else
			rc = editor_invalid(err, name,
			                    create ? "a topic has slug, name and keyword"
			                           : "only name and keyword change");
		if (rc != 0)
			return rc;
	}
	if (create && tb->slug[0] == '\0')
		return editor_invalid(err, "slug", "required");
	if (create && tb->name[0] == '\0')
		return editor_invalid(err, "name", "required");
	if (create && tb->keyword[0] == '\0')
		return editor_invalid(err, "keyword", "required");
	if (!create && tb->name[0] == '\0' && tb->keyword[0] == '\0')
		return editor_invalid(err, "", "nothing to change: give name or keyword");
	return 0;
}

/* Worker: the list. */
static int topics_list(struct db *db, struct comune_job *cj)
{
	const char *params[1] = { cj->comune };
	PGresult *res = db_read(db, SQL_LIST, 1, params);

	if (res == NULL)
		return -1;
	cj->out = json_pack("{s:s, s:o}", "comune", cj->comune, "topics",
	                    json_loads(PQgetvalue(res, 0, 0), 0, NULL));
	cj->status = 200;
	PQclear(res);
	return 0;
}

/* Worker, in the transaction: locks the comune's row; 1 after setting a
 * 409 if kw is one of its command words; 0; -1. */
static int topic_lock(struct db *db, struct comune_job *cj, const char *kw)
{
	const char *params[1] = { cj->comune };
	PGresult *res = db_exec(db, SQL_LOCK, 1, params);
	const char *clash = NULL;
	char msg[160];

	if (res == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		return -1;
	}
	if (kw[0] != '\0') {
		struct crule_lists l = { PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
			                 PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3) };
		clash = crule_keyword_clash(kw, &l);
	}
	PQclear(res);
	if (clash == NULL)
		return 0;
	snprintf(msg, sizeof(msg), "%s is already one of the comune's %s words", kw, clash);
	comune_job_fail(cj, 409, "conflict", "keyword", msg);
	json_object_set_new(cj->out, "clash", json_string(clash));
	return 1;
}

/* "Name (KEYWORD)": a topic as the audit shows it. */
static void topic_text(const char *name, const char *kw, char *out, size_t len)
{
	snprintf(out, len, "%s (%s)", name, kw);
}

/* Worker, in the transaction: the 409 for an insert refused (the slug or
 * the keyword taken); 1, or -1. */
static int topic_taken(struct db *db, struct comune_job *cj, const struct topic_body *tb)
{
	const char *params[3] = { cj->comune, tb->slug, tb->keyword };
	PGresult *res = db_exec(db,
	                        "SELECT slug FROM topics WHERE comune_id = $1 "
	                        "AND (slug = $2 OR keyword = $3) ORDER BY slug <> $2 LIMIT 1",
	                        3, params);
	char msg[160];

	if (res == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 0), tb->slug) == 0) {
		snprintf(msg, sizeof(msg), "the comune has a topic %s already", tb->slug);
		comune_job_fail(cj, 409, "conflict", "slug", msg);
	} else {
		snprintf(msg, sizeof(msg), "%s is the keyword of topic %s", tb->keyword,
		         PQgetvalue(res, 0, 0));
		comune_job_fail(cj, 409, "conflict", "keyword", msg);
		json_object_set_new(cj->out, "clash", json_string("topic"));
		json_object_set_new(cj->out, "topic", json_string(PQgetvalue(res, 0, 0)));
	}
	PQclear(res);
	return 1;
}

/* Worker, in the transaction: inserts tb; 0, 1 (answer set) or -1. */
static int topic_insert(struct db *db, struct comune_job *cj, const struct topic_body *tb)
{
	const char *params[4] = { cj->comune, tb->slug, tb->name, tb->keyword };
	PGresult *res = db_exec(db,
	                        "INSERT INTO topics (comune_id, slug, name, keyword) "
	                        "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING slug",
	                        4, params);
	char text[sizeof(tb->name) + 40];
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	if (n == 0)
		return topic_taken(db, cj, tb);
	topic_text(tb->name, tb->keyword, text, sizeof(text));
	char field[48];
	snprintf(field, sizeof(field), "topic:%s", tb->slug);
	if (comune_audit(db, cj, field, NULL, text) != 0)
		return -1;
	cj->status = 201;
	cj->out = json_pack("{s:s, s:s, s:s, s:i}", "slug", tb->slug, "name", tb->name, "keyword",
	                    tb->keyword, "subscribers", 0);
	return 0;
}

/* Worker: runs step in a transaction that first locks the comune
 * (checking kw); commits if it returns 0, else rolls back. */
static int topic_txn(struct db *db, struct comune_job *cj, const char *kw,
                     int (*step)(struct db *, struct comune_job *, const struct topic_body *))
{
	int rc;

	if (db_begin(db) != 0)
		return -1;
	rc = topic_lock(db, cj, kw);
	if (rc == 0)
		rc = step(db, cj, cj->arg);
	if (rc != 0) {
		db_rollback(db);
		return rc < 0 ? -1 : 0;
	}
	return db_commit(db);
}

/* Worker: POST. */
static int topics_add(struct db *db, struct comune_job *cj)
{
	const struct topic_body *tb = cj->arg;

	return topic_txn(db, cj, tb->keyword, topic_insert);
}

/* Worker, in the transaction: the topic's row, locked; NULL after
 * setting the 404 (*failed false) or on error (*failed true). */
static PGresult *topic_row(struct db *db, struct comune_job *cj, const char *slug, bool *failed)
{
	const char *params[2] = { cj->comune, slug };
	PGresult *res = db_exec(db,
	                        "SELECT name, keyword FROM topics WHERE comune_id = $1 "
	                        "AND slug = $2 FOR UPDATE",
	                        2, params);
	char msg[96];

	*failed = res == NULL;
	if (res != NULL && PQntuples(res) == 0) {
		PQclear(res);
		snprintf(msg, sizeof(msg), "no topic %s in comune %s", slug, cj->comune);
		comune_job_fail(cj, 404, "not_found", "slug", msg);
		return NULL;
	}
	return res;
}

/* Worker, in the transaction: a topic's new name and keyword. */
static int topic_update(struct db *db, struct comune_job *cj, const struct topic_body *tb)
{
	bool failed;
	PGresult *row = topic_row(db, cj, tb->slug, &failed);
	char oldt[sizeof(tb->name) + 40], newt[sizeof(tb->name) + 40], field[48];
	const char *name, *kw;

	if (row == NULL)
		return failed ? -1 : 1;
	name = tb->name[0] != '\0' ? tb->name : PQgetvalue(row, 0, 0);
	kw = tb->keyword[0] != '\0' ? tb->keyword : PQgetvalue(row, 0, 1);
	topic_text(PQgetvalue(row, 0, 0), PQgetvalue(row, 0, 1), oldt, sizeof(oldt));
	topic_text(name, kw, newt, sizeof(newt));
	PQclear(row);
	const char *params[4] = { cj->comune, tb->slug, name, kw };
	cj->status = 200;
	cj->out = json_pack("{s:s, s:s, s:s}", "slug", tb->slug, "name", name, "keyword", kw);
	if (strcmp(oldt, newt) == 0)
		return 0;
	db_expect_failure(db, "23505");
	if (db_cmd(db,
	           "UPDATE topics SET name = $3, keyword = $4 WHERE comune_id = $1 AND slug = $2",
	           4, params) != 0) {
		if (db_fault(db) != DB_FAULT_DATA)
			return -1;
		snprintf(newt, sizeof(newt), "%s is the keyword of another topic", kw);
		comune_job_fail(cj, 409, "conflict", "keyword", newt);
		json_object_set_new(cj->out, "clash", json_string("topic"));
		return 1;
	}
	snprintf(field, sizeof(field), "topic:%s", tb->slug);
	return comune_audit(db, cj, field, oldt, newt);
}

/* Worker: PATCH. */
static int topics_patch(struct db *db, struct comune_job *cj)
{
	const struct topic_body *tb = cj->arg;

	return topic_txn(db, cj, tb->keyword, topic_update);
}

/* Worker, in the transaction: the topic gone, unless something uses it. */
static int topic_delete(struct db *db, struct comune_job *cj, const struct topic_body *tb)
{
	const char *params[2] = { cj->comune, tb->slug };
	char text[sizeof(tb->name) + 40], field[48], msg[200];
	bool failed;
	PGresult *row = topic_row(db, cj, tb->slug, &failed), *use;

	if (row == NULL)
		return failed ? -1 : 1;
	topic_text(PQgetvalue(row, 0, 0), PQgetvalue(row, 0, 1), text, sizeof(text));
	PQclear(row);
	use = db_exec(db,
	              "SELECT (SELECT count(*) FROM notices WHERE comune_id = $1 "
	              "AND $2 = ANY (topics)), (SELECT count(*) FROM subscribers s "
	              "JOIN channels ch ON ch.id = s.channel_id WHERE ch.comune_id = $1 "
	              "AND s.status <> 'erased' AND $2 = ANY (s.topics))",
	              2, params);
	if (use == NULL)
		return -1;
	snprintf(msg, sizeof(msg),
	         "topic %s is used by %s notices and chosen by %s subscribers: "
	         "it stays (rename it instead)",
	         tb->slug, PQgetvalue(use, 0, 0), PQgetvalue(use, 0, 1));
	bool used = atoll(PQgetvalue(use, 0, 0)) > 0 || atoll(PQgetvalue(use, 0, 1)) > 0;
	PQclear(use);
	if (used)
		return 1 + comune_job_fail(cj, 409, "in_use", "slug", msg);
	if (db_cmd(db, "DELETE FROM topics WHERE comune_id = $1 AND slug = $2", 2, params) != 0)
		return -1;
	snprintf(field, sizeof(field), "topic:%s", tb->slug);
	cj->status = 204;
	return comune_audit(db, cj, field, text, NULL);
}

/* Worker: DELETE. */
static int topics_delete(struct db *db, struct comune_job *cj)
{
	return topic_txn(db, cj, "", topic_delete);
}

/* The body of a POST or PATCH into a new topic_body; NULL after answering 400. */
static struct topic_body *topic_parse(struct evhttp_request *req, bool create)
{
	struct topic_body *tb = xcalloc(1, sizeof(*tb));
	struct editor_error err;
	json_t *root = editor_body_json(req, &err);
	int rc = root != NULL ? topic_body_parse(root, create, tb, &err) : -1;

	json_decref(root);
	if (rc != 0) {
		free(tb);
		editor_reply_invalid(req, &err);
		return NULL;
	}
	return tb;
}

void topics_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	bool add = evhttp_request_get_command(req) == EVHTTP_REQ_POST;
	struct topic_body *tb = NULL;
	struct comune_job *cj;

	if (!comune_job_allowed(req, ra, add))
		return;
	if (add && (tb = topic_parse(req, true)) == NULL)
		return;
	cj = comune_job_new(req, ra, add, add ? topics_add : topics_list, tb, NULL);
	if (cj != NULL)
		comune_job_queue(ing, cj);
}

void topics_handle_one(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	bool del = evhttp_request_get_command(req) == EVHTTP_REQ_DELETE;
	struct topic_body *tb = NULL;
	struct comune_job *cj;

	if (!comune_job_allowed(req, ra, true))
		return;
	if (!crule_slug_ok(ra->rest)) {
		reply_error(req, 404, "not_found", "no such topic");
		return;
	}
	if (del)
		tb = xcalloc(1, sizeof(*tb));
	else if ((tb = topic_parse(req, false)) == NULL)
		return;
	snprintf(tb->slug, sizeof(tb->slug), "%s", ra->rest);
	cj = comune_job_new(req, ra, true, del ? topics_delete : topics_patch, tb, NULL);
	if (cj != NULL)
		comune_job_queue(ing, cj);
}
