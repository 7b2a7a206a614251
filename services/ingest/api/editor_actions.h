/* Workflow actions on an existing notice (see editor_flow.h for the rules). */
#ifndef BND_EDITOR_ACTIONS_H
#define BND_EDITOR_ACTIONS_H

#include <stdbool.h>

#include "api/editor_flow.h"

struct ingest;
struct evhttp_request;

/* id: a lowercase UUID. patch: WF_EDIT merges the body (PATCH) instead
 * of replacing the notice (PUT). Answers 202 {"id","status","version"}. */
void editor_handle_action(struct ingest *ing, struct evhttp_request *req, const char *id,
                          enum wf_action action, bool patch);

#endif
