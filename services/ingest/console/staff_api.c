/*
 * The staff accounts of the caller's comune, for approvers (console.h):
 * list, add and new password (hashed on the console's worker), disable
 * and enable.
 */
#include "console/console.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "password.h"
#include "xmalloc.h"
#include "core/dbwork.h"
#include "core/ingest.h"
#include "core/json_body.h"
#include "core/reply.h"

enum staff_op { STAFF_LIST, STAFF_ADD, STAFF_DISABLE, STAFF_ENABLE, STAFF_PASSWD };

struct staff_job {
	struct dbw_job job; /* first */
	struct evhttp_request *req;
	enum staff_op op;
	char comune[DIR_ID_MAX];
	char login[ACCOUNT_LOGIN_MAX];
	char name[ACCOUNT_NAME_MAX];
	char role[16];
	const char *alert_kind;
	char alert[ACCOUNT_ALERT_MAX];
	char *password;
	size_t pwlen;
	int rc;
	json_t *out;
};

static const char SQL_LIST[] =
    "SELECT coalesce(json_agg(json_build_object('login', login, 'name', name, 'role', role, "
    "'alert', " ACCOUNT_ALERT_MASKED("alert_kind", "alert_address") ", "
    "'disabled', disabled, 'created_at', to_char(created_at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ORDER BY login), '[]')::text "
    "FROM staff WHERE comune_id = $1";

/* Worker: the list (numbers redacted). */
static int staff_list(struct db *db, struct staff_job *sj)
{
	const char *params[1] = { sj->comune };
	PGresult *res = db_read(db, SQL_LIST, 1, params);

	if (res == NULL)
		return -1;
	sj->out = json_pack("{s:o}", "staff", json_loads(PQgetvalue(res, 0, 0), 0, NULL));
	PQclear(res);
	return 0;
}

/* Worker: the change asked for. */
static void staff_work(struct db *db, struct dbw_job *job)
{
	struct staff_job *sj = (struct staff_job *)job;
	struct account_new an = { sj->comune,     sj->login,
		                  sj->name,       sj->role,
		                  sj->alert_kind, sj->alert_kind != NULL ? sj->alert : NULL };
	char hash[PW_HASH_MAX];

	switch (sj->op) {
	case STAFF_LIST: sj->rc = staff_list(db, sj); break;
	case STAFF_ADD:
		sj->rc = pw_hash(sj->password, sj->pwlen, hash);
		if (sj->rc == 0)
			sj->rc = account_add(db, &an, hash, NULL);
		break;
	case STAFF_DISABLE: sj->rc = account_disable(db, sj->comune, sj->login); break;
	case STAFF_ENABLE: sj->rc = account_enable(db, sj->comune, sj->login); break;
	case STAFF_PASSWD:
		sj->rc = pw_hash(sj->password, sj->pwlen, hash);
		if (sj->rc == 0)
			sj->rc = account_passwd(db, sj->comune, sj->login, hash);
		break;
	}
}

static const char *const STAFF_DONE[] = { "listed", "added", "disabled", "enabled",
	                                   "new password" };

/* Loop: the answer. */
static void staff_done(struct dbw_job *job)
{
	struct staff_job *sj = (struct staff_job *)job;

	if (job->aborted || sj->rc < 0)
		reply_error(sj->req, 503, "database_unavailable", "retry later");
	else if (sj->rc == 1 && sj->op == STAFF_ADD)
		reply_error(sj->req, 409, "conflict", "comune %s has a login %s already",
		            sj->comune, sj->login);
	else if (sj->rc == 1)
		reply_error(sj->req, 404, "not_found", "no login %s in comune %s", sj->login,
		            sj->comune);
	else if (sj->op == STAFF_LIST)
		reply_json(sj->req, 200, json_incref(sj->out));
	else if (sj->op == STAFF_ADD)
		reply_json(sj->req, 201,
		           json_pack("{s:s, s:s, s:s, s:s}", "login", sj->login, "name", sj->name,
		                     "role", sj->role, "comune", sj->comune));
	else if (sj->op == STAFF_PASSWD)
		reply_json(sj->req, 200, json_pack("{s:s, s:b}", "login", sj->login, "password", 1));
	else
		reply_json(sj->req, 200, json_pack("{s:s, s:b}", "login", sj->login, "disabled",
		                                   sj->op == STAFF_DISABLE));
	if (sj->op != STAFF_LIST && sj->rc == 0)
		log_info("staff.change", "%s of %s: %s", STAFF_DONE[sj->op], sj->comune, sj->login);
	json_decref(sj->out);
	if (sj->password != NULL)
		explicit_bzero(sj->password, sj->pwlen);
	free(sj->password);
	free(sj);
}

/* Queues sj on the worker q (the console's for hashing). */
static void staff_queue(struct dbw *q, struct staff_job *sj)
{
	sj->job.work = staff_work;
	sj->job.done = staff_done;
	if (dbw_submit(q, &sj->job) != 0) {
		reply_error(sj->req, 503, "busy", "too many requests waiting; retry later");
		free(sj->password);
		free(sj);
	}
}

/* 400 naming the field. */
static int staff_invalid(struct evhttp_request *req, const char *field, const char *msg)
{
	reply_json(
	    req, 400,
	    json_pack("{s:s, s:s, s:s}", "error", "invalid", "field", field, "message", msg));
	return -1;
}

/* The new account's fields into sj; 0, or -1 after answering 400. */
static int staff_fields(struct evhttp_request *req, json_t *root, struct staff_job *sj)
{
	const char *login = "", *name = "", *role = "", *pw = "", *alert = NULL, *weak;
	size_t pwlen = 0;

	if (json_unpack(root, "{s?s, s?s, s?s, s?s%, s?s}", "login", &login, "name", &name, "role",
	                &role, "password", &pw, &pwlen, "alert", &alert) != 0)
		return staff_invalid(req, "", "login, name, role, password and alert are strings");
	if (!account_login_valid(login))
		return staff_invalid(req, "login", "1-63 of a-z, 0-9, '.', '_', '-'");
	if (!account_name_valid(name))
		return staff_invalid(req, "name", "1-120 bytes of text");
	if (!account_role_valid(role))
		return staff_invalid(req, "role", "editor, approver or consortium");
	if ((weak = pw_weak(pw, pwlen)) != NULL)
		return staff_invalid(req, "password", weak);
	if (alert != NULL && account_alert_parse(alert, &sj->alert_kind, sj->alert) != 0)
		return staff_invalid(req, "alert", "whatsapp:+39... or telegram:CHATID");
	snprintf(sj->login, sizeof(sj->login), "%s", login);
	snprintf(sj->name, sizeof(sj->name), "%s", name);
	snprintf(sj->role, sizeof(sj->role), "%s", role);
	sj->password = xmalloc(pwlen + 1);
	memcpy(sj->password, pw, pwlen + 1);
	sj->pwlen = pwlen;
	return 0;
}

/* The body of POST /api/v1/staff into sj; 0, or -1 after answering 400. */
static int staff_parse(struct evhttp_request *req, struct staff_job *sj)
{
	size_t len;
	const char *body = http_body(req, &len);
	char field[64] = "";
	json_t *root = NULL;
	int rc;

	if (jbody_load(body, len, 0, &root, field, sizeof(field), NULL) != JBODY_OK)
		return staff_invalid(req, field, "the body must be a JSON object of valid UTF-8");
	rc = staff_fields(req, root, sj);
	json_decref(root);
	return rc;
}

/* The body of POST .../password, {"password"}, into sj; 0, or -1 after
 * answering 400. */
static int staff_parse_password(struct evhttp_request *req, struct staff_job *sj)
{
	size_t len, pwlen = 0;
	const char *body = http_body(req, &len), *pw = "", *weak;
	char field[64] = "";
	json_t *root = NULL;
	int rc = -1;

	if (jbody_load(body, len, 0, &root, field, sizeof(field), NULL) != JBODY_OK)
		return staff_invalid(req, field, "the body must be a JSON object of valid UTF-8");
	if (json_unpack(root, "{s:s%}", "password", &pw, &pwlen) != 0)
		staff_invalid(req, "password", "password is required (a string)");
	else if ((weak = pw_weak(pw, pwlen)) != NULL)
		staff_invalid(req, "password", weak);
	else {
		sj->password = xmalloc(pwlen + 1);
		memcpy(sj->password, pw, pwlen + 1);
		sj->pwlen = pwlen;
		rc = 0;
	}
	json_decref(root);
	return rc;
}

/* The operation a path under a login names (after it), or STAFF_LIST if none. */
static enum staff_op staff_sub_op(const char *tail)
{
	if (strcmp(tail, "/disable") == 0)
		return STAFF_DISABLE;
	if (strcmp(tail, "/enable") == 0)
		return STAFF_ENABLE;
	if (strcmp(tail, "/password") == 0)
		return STAFF_PASSWD;
	return STAFF_LIST;
}

/* A new job for an approver of ra's comune; NULL after answering 403. */
static struct staff_job *staff_job_new(struct evhttp_request *req, const struct route_args *ra,
                                       enum staff_op op)
{
	struct staff_job *sj;

	if (strcmp(ra->key->role, "approver") != 0) {
		reply_error(req, 403, "forbidden", "only an approver manages the comune's staff");
		return NULL;
	}
	sj = xcalloc(1, sizeof(*sj));
	sj->req = req;
	sj->op = op;
	snprintf(sj->comune, sizeof(sj->comune), "%s", ra->key->comune_id);
	return sj;
}

void staff_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	bool add = evhttp_request_get_command(req) == EVHTTP_REQ_POST;
	struct staff_job *sj = staff_job_new(req, ra, add ? STAFF_ADD : STAFF_LIST);

	if (sj == NULL)
		return;
	if (add && staff_parse(req, sj) != 0) {
		free(sj);
		return;
	}
	staff_queue(add ? ing->dbw_console : ing->dbw, sj);
}

void staff_handle_sub(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	size_t n = strcspn(ra->rest, "/");
	enum staff_op op = staff_sub_op(ra->rest + n);
	struct staff_job *sj;

	if (op == STAFF_LIST || n == 0 || n >= ACCOUNT_LOGIN_MAX) {
		reply_error(req, 404, "not_found", "no such endpoint");
		return;
	}
	if ((sj = staff_job_new(req, ra, op)) == NULL)
		return;
	memcpy(sj->login, ra->rest, n);
	sj->login[n] = '\0';
	if (op == STAFF_PASSWD && staff_parse_password(req, sj) != 0) {
		free(sj);
		return;
	}
	staff_queue(op == STAFF_PASSWD ? ing->dbw_console : ing->dbw, sj);
}
