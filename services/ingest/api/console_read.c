/* The console's reads on the PostgreSQL worker (console_read.h). */
#include "api/console_read.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmalloc.h"
#include "api/notice_store.h"
#include "core/ingest.h"
#include "core/reply.h"

/* Worker: the scope check, then the endpoint's own query. */
static void console_work(struct db *db, struct dbw_job *job)
{
	struct console_read *cr = (struct console_read *)job;
	bool in_scope = false;

	cr->rc = ns_comune_in_scope(db, cr->comune, &cr->key, &in_scope);
	if (cr->rc == 0 && !in_scope)
		cr->rc = CONSOLE_ABSENT;
	if (cr->rc == 0)
		cr->rc = cr->work(db, cr);
}

/* Frees cr and what it holds. */
static void console_free(struct console_read *cr)
{
	json_decref(cr->out);
	free(cr->svg);
	if (cr->arg_free != NULL)
		cr->arg_free(cr->arg);
	else
		free(cr->arg);
	free(cr);
}

/* Loop: the answer. */
static void console_done(struct dbw_job *job)
{
	struct console_read *cr = (struct console_read *)job;

	if (job->aborted || cr->rc < 0) {
		reply_error(cr->req, 503, "database_unavailable",
		            "the database cannot answer right now; retry later");
	} else if (cr->rc == CONSOLE_ABSENT) {
		reply_error(cr->req, 404, "not_found", "no comune %s", cr->comune);
	} else if (cr->rc == CONSOLE_NOT_FOUND) {
		reply_json(cr->req, 404, cr->out);
		cr->out = NULL;
	} else if (cr->svg != NULL) {
		reply_svg(cr->req, 200, cr->svg);
		cr->svg = NULL;
	} else {
		reply_json(cr->req, 200, cr->out);
		cr->out = NULL;
	}
	console_free(cr);
}

struct console_read *console_read_new(struct ingest *ing, struct evhttp_request *req,
                                      const struct route_args *ra, struct evkeyvalq *q,
                                      console_work_fn work, void *arg, void (*arg_free)(void *arg))
{
	const char *comune = evhttp_find_header(q, "comune");
	struct console_read *cr;

	if (comune == NULL)
		comune = ra->key->comune_id;
	/* Never cut a comune id, never pass PostgreSQL bytes it would refuse. */
	if (strlen(comune) >= DIR_ID_MAX || !utf8_valid_str(comune)) {
		reply_json(req, 400,
		           json_pack("{s:s, s:s, s:s}", "error", "invalid", "field", "comune",
		                     "message",
		                     "comune must be a comune id "
		                     "(valid UTF-8 text, at most 63 bytes)"));
		if (arg_free != NULL)
			arg_free(arg);
		else
			free(arg);
		return NULL;
	}
	cr = xcalloc(1, sizeof(*cr));
	cr->req = req;
	cr->key = *ra->key;
	snprintf(cr->comune, sizeof(cr->comune), "%s", comune);
	snprintf(cr->public_base, sizeof(cr->public_base), "%s",
	         ing->public_base != NULL ? ing->public_base : "");
	cr->work = work;
	cr->arg = arg;
	cr->arg_free = arg_free;
	return cr;
}

void console_read_queue(struct ingest *ing, struct console_read *cr)
{
	cr->job.work = console_work;
	cr->job.done = console_done;
	if (dbw_submit(ing->dbw, &cr->job) != 0) {
		reply_error(cr->req, 503, "busy",
		            "too many requests waiting for the "
		            "database; retry later");
		console_free(cr);
	}
}
