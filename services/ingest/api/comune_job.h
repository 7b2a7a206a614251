/*
 * The comune's settings and topics from the editors' API (comune_api.c,
 * topics_api.c): what their requests share. A job names the comune (the
 * key's own, or ?comune= for a consortium key), who asks, and a worker
 * function; on the editors' PostgreSQL worker the comune is checked to
 * be in the caller's scope (404 if not), then the function runs and
 * sets the answer's status and JSON, which go out on the loop. Changes
 * are for approvers and consortium staff: an editor gets 403 before
 * anything is queued.
 */
#ifndef BND_COMUNE_JOB_H
#define BND_COMUNE_JOB_H

#include <jansson.h>
#include <stdbool.h>

#include "core/dbwork.h"
#include "core/directory.h"
#include "core/route.h"

struct ingest;
struct evhttp_request;
struct db;
struct comune_job;

/* Worker: sets cj->status (200, 201, 204, 400, 404, 409) and cj->out;
 * returns 0, or -1 when PostgreSQL failed (503). */
typedef int (*comune_work_fn)(struct db *db, struct comune_job *cj);

struct comune_job {
	struct dbw_job job; /* first */
	struct evhttp_request *req;
	struct dir_api_key key;
	char comune[DIR_ID_MAX];
	char actor_kind[8]; /* "staff" or "api_key", for the audit */
	comune_work_fn work;
	void *arg;                   /* the request's parsed body or path (owned) */
	void (*arg_free)(void *arg); /* frees it (NULL: free()) */
	int status;
	int changes; /* rows written to comune_changes (committed if status < 300) */
	json_t *out; /* the answer (NULL: none, e.g. 204) */
	int rc;
};

/* true if ra's caller may make the change (approver, consortium), or
 * it is no change; false after answering 403. */
bool comune_job_allowed(struct evhttp_request *req, const struct route_args *ra, bool change);
/*
 * A job for the caller of ra about the comune ?comune= names (else the
 * key's own); change: approvers and consortium only. NULL after
 * answering 400 or 403; arg is then freed by arg_free (NULL: free()).
 */
struct comune_job *comune_job_new(struct evhttp_request *req, const struct route_args *ra,
                                  bool change, comune_work_fn work, void *arg,
                                  void (*arg_free)(void *arg));
/* Queues cj (taken over) on the editors' worker; 503 if it is full. */
void comune_job_queue(struct ingest *ing, struct comune_job *cj);
/* Sets cj's answer to {"error": error, "field": field, "message": msg}. */
int comune_job_fail(struct comune_job *cj, int status, const char *error, const char *field,
                    const char *msg);
/* Worker: records one change of field (old/new NULL: absent) for cj's
 * comune, by cj's caller; 0 or -1. Inside the caller's transaction. */
int comune_audit(struct db *db, struct comune_job *cj, const char *field, const char *old_value,
                 const char *new_value) __attribute__((warn_unused_result));

#endif
