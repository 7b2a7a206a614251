/*
 * The comune's topics for the editors' console (docs/api.md, "The
 * comune's settings and topics"): GET /api/v1/topics (any role, with the
 * active subscribers who chose each), POST /api/v1/topics, PATCH and
 * DELETE /api/v1/topics/{slug} (approvers and consortium). A topic's
 * keyword may be neither another topic's nor one of the comune's command
 * words (409); a topic used by a notice or chosen by a subscriber is not
 * deleted (409): renaming it is what keeps the history true. Every
 * change is recorded in comune_changes as the field "topic:<slug>".
 */
#ifndef BND_TOPICS_API_H
#define BND_TOPICS_API_H

#include <jansson.h>
#include <stdbool.h>

#include "comune_rules.h"
#include "core/route.h"
#include "api/editor_error.h"

#define TOPIC_NAME_MAX_CHARS 60

/* A topic's fields from a request ("" = not given, for a PATCH). */
struct topic_body {
	char slug[33];
	char name[TOPIC_NAME_MAX_CHARS * 4 + 1];
	char keyword[CRULE_KW_MAX + 1]; /* folded */
};

/*
 * root into tb: create (POST) needs slug, name and keyword; a PATCH
 * takes name and/or keyword. 0, or -1 with err filled. Pure.
 */
int topic_body_parse(json_t *root, bool create, struct topic_body *tb, struct editor_error *err)
    __attribute__((warn_unused_result));

/* GET and POST /api/v1/topics. */
void topics_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);
/* PATCH and DELETE /api/v1/topics/{slug}. */
void topics_handle_one(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);

#endif
