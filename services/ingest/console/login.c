/*
 * POST /console/api/login (console.h): a per-address limit on the loop,
 * then the attempt on the console's own PostgreSQL worker (the password
 * hash is slow by design: never on the loop, never in the editors' way).
 */
#include "console/console.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "password.h"
#include "xmalloc.h"
#include "core/dbwork.h"
#include "core/ingest.h"
#include "core/json_body.h"
#include "core/reply.h"
#include "console/login_db.h"
#include "form/form_handler.h"
#include "form/form_ratelimit.h"

#define LOGIN_LIMIT_KEYS 100000

struct login_job {
	struct dbw_job job; /* first */
	struct evhttp_request *req;
	struct login_try lt;
	struct login_outcome out;
};

static struct frl *login_limit;
static struct metric m_ok =
    METRIC_COUNTER("bnd_ingest_console_logins_total", "console logins that opened a session");
static struct metric m_bad = METRIC_COUNTER("bnd_ingest_console_login_failures_total",
                                            "console logins refused as bad credentials");
static struct metric m_locked =
    METRIC_COUNTER("bnd_ingest_console_login_locked_total",
                   "console logins refused because the account or the client address is limited");

int console_init(void)
{
	/* Per client address, per replica: N a minute, 10 N an hour. */
	const struct frl_rule rules[] = { { 60000, console_cfg.logins_per_minute },
		                          { 3600000, 10 * console_cfg.logins_per_minute } };

	login_limit = frl_new(rules, 2, LOGIN_LIMIT_KEYS);
	if (pw_init() != 0) {
		log_error("console.init", "libsodium could not be initialized");
		return -1;
	}
	return 0;
}

void console_metrics_register(void)
{
	metrics_register(&m_ok);
	metrics_register(&m_bad);
	metrics_register(&m_locked);
}

/* 429 with Retry-After (seconds, at least 1). */
static void login_reply_limited(struct evhttp_request *req, long seconds, const char *error)
{
	char ra[24];

	snprintf(ra, sizeof(ra), "%ld", seconds > 0 ? seconds : 1);
	metric_add(&m_locked, 1);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", ra);
	reply_json(req, 429,
	           json_pack("{s:s, s:s}", "error", error, "message",
	                     strcmp(error, "locked") == 0
	                         ? "too many failed logins of this account: wait before trying again"
	                         : "too many logins from this address: wait before trying again"));
}

/* Worker: the attempt. */
static void login_work(struct db *db, struct dbw_job *job)
{
	struct login_job *lj = (struct login_job *)job;

	login_attempt(db, &lj->lt, &lj->out);
}

/* Loop: the answer. */
static void login_done(struct dbw_job *job)
{
	struct login_job *lj = (struct login_job *)job;
	struct console_staff *st = &lj->out.staff;
	char cookie[COOKIE_SET_MAX];

	if (job->aborted || lj->out.result == LOGIN_FAILED) {
		reply_error(lj->req, 503, "database_unavailable",
		            "cannot log in right now; retry later");
	} else if (lj->out.result == LOGIN_LOCKED) {
		log_warn("console.locked", "login %s of %s is locked", lj->lt.login, lj->lt.comune);
		login_reply_limited(lj->req, lj->out.retry_after, "locked");
	} else if (lj->out.result == LOGIN_BAD) {
		metric_add(&m_bad, 1);
		log_warn("console.bad_login", "login %s of %s refused", lj->lt.login,
		         lj->lt.comune);
		reply_json(lj->req, 401,
		           json_pack("{s:s, s:s}", "error", "bad_credentials", "message",
		                     "wrong comune, login or password"));
	} else {
		metric_add(&m_ok, 1);
		log_info("console.login", "staff %lld (%s) of %s logged in", st->id, st->key.role,
		         st->key.comune_id);
		cookie_set_value(lj->out.token, console_cfg.max_s, cookie);
		evhttp_add_header(evhttp_request_get_output_headers(lj->req), "Set-Cookie", cookie);
		evhttp_add_header(evhttp_request_get_output_headers(lj->req), "Cache-Control",
		                  "no-store");
		reply_json(lj->req, 200, console_me_json(st));
	}
	explicit_bzero(lj->lt.password, lj->lt.pwlen);
	free(lj->lt.password);
	explicit_bzero(&lj->out, sizeof(lj->out));
	free(lj);
}

/* The body's three strings into lt; 0, or -1 after answering 400. */
static int login_parse(struct evhttp_request *req, struct login_try *lt)
{
	const char *comune, *login, *pw;
	json_t *root = NULL;
	size_t len, pwlen;
	const char *body = http_body(req, &len);
	int rc = -1;

	if (jbody_load(body, len, 0, &root, NULL, 0, NULL) != JBODY_OK ||
	    json_unpack(root, "{s:s, s:s, s:s%}", "comune", &comune, "login", &login, "password",
	                &pw, &pwlen) != 0) {
		reply_error(req, 400, "invalid",
		            "the body must be JSON "
		            "{\"comune\": \"...\", \"login\": \"...\", \"password\": \"...\"}");
		goto done;
	}
	/* Too long to be anybody's: checked all the same, and refused. */
	snprintf(lt->comune, sizeof(lt->comune), "%s", strlen(comune) < DIR_ID_MAX ? comune : "");
	snprintf(lt->login, sizeof(lt->login), "%s",
	         strlen(login) < ACCOUNT_LOGIN_MAX ? login : "");
	lt->pwlen = pwlen < PW_MAX_LEN ? pwlen : PW_MAX_LEN;
	lt->password = xmalloc(lt->pwlen + 1);
	memcpy(lt->password, pw, lt->pwlen);
	lt->password[lt->pwlen] = '\0';
	rc = 0;
done:
	json_decref(root);
	return rc;
}

void console_handle_login(struct ingest *ing, struct evhttp_request *req,
                          const struct route_args *ra)
{
	struct login_job *lj;
	char client[CA_KEY_MAX];
	int64_t wait_ms;

	form_client_key(req, client);
	if ((wait_ms = frl_hit(login_limit, client, clock_mono_ms())) > 0) {
		login_reply_limited(req, (long)((wait_ms + 999) / 1000), "rate_limited");
		return;
	}
	lj = xcalloc(1, sizeof(*lj));
	lj->req = req;
	if (login_parse(req, &lj->lt) != 0) {
		free(lj);
		return;
	}
	lj->job.work = login_work;
	lj->job.done = login_done;
	if (dbw_submit(ing->dbw_console, &lj->job) != 0) {
		reply_error(req, 503, "busy", "too many logins at once; retry in a moment");
		explicit_bzero(lj->lt.password, lj->lt.pwlen);
		free(lj->lt.password);
		free(lj);
	}
}
