/* Workflow actions on an existing notice (see editor_flow.h for the rules). */
#ifndef BND_EDITOR_ACTIONS_H
#define BND_EDITOR_ACTIONS_H

#include <stdbool.h>

#include "api/editor_flow.h"

#include "core/route.h"

/* Action ra->arg (enum wf_action; WF_EDIT replaces the notice: PUT) on
 * notice ra->id. Answers 202 {"id","status","version"}. */
void editor_handle_action(struct ingest *ing, struct evhttp_request *req,
                          const struct route_args *ra);
/* PATCH: WF_EDIT merging the body into the notice. */
void editor_handle_patch(struct ingest *ing, struct evhttp_request *req,
                         const struct route_args *ra);

#endif
