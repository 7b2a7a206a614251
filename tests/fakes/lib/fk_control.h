/*
 * The fakes' test-control side: /healthz and the endpoints under /_fake/
 * chosen from a table, the small parts every control handler uses (a
 * query parameter, a JSON body, {"ok":true}), and the check of a knobs
 * object against the names a fake knows.
 */
#ifndef FK_CONTROL_H
#define FK_CONTROL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct evhttp_request;

/* A control endpoint: its path ("/_fake/messages") and handler; fk is the fake's context. */
struct fk_route {
	const char *path;
	void (*handle)(void *fk, struct evhttp_request *req);
};

/*
 * Serves path if it is /healthz ({"ok":true}) or under /_fake/ (the entry
 * of routes[0..n) with that path, else 404). false if it is neither: the
 * provider's API, for the caller.
 */
bool fk_control_route(const struct fk_route *routes, size_t n, void *fk,
                      struct evhttp_request *req, const char *path);
/* Answers 200 {"ok":true}. */
void fk_control_ok(struct evhttp_request *req);
/* Answers 405 with "use <allowed>"; allowed e.g. "GET or DELETE". */
void fk_control_method(struct evhttp_request *req, const char *allowed);
/*
 * The value of query parameter name without leading spaces or '+' ('+'
 * decodes as a space), or NULL if absent. Caller frees.
 */
char *fk_control_query(struct evhttp_request *req, const char *name);
/* A fake's knobs, as /_fake/config serves them: apply sets those in (an
 * object) names, 0 or -1 with err saying why; show returns every knob (a
 * new reference). fk is the fake's context. */
struct fk_knobs {
	int (*apply)(void *fk, const json_t *in, char *err, size_t errlen);
	json_t *(*show)(void *fk);
};
/* GET /_fake/config, or POST some knobs (400 if the body or a knob is
 * refused): both answer 200 with every knob; another method 405. */
void fk_control_config(const struct fk_knobs *knobs, void *fk, struct evhttp_request *req);
/* The request body as a JSON object, or NULL with err saying why. Caller decrefs. */
json_t *fk_control_body(struct evhttp_request *req, char *err, size_t errlen);
/*
 * 0 if in is an object whose every key is in known (NULL-terminated),
 * else -1 with err saying which is not and what is known.
 */
int fk_control_keys(const json_t *in, const char *const *known, char *err, size_t errlen)
    __attribute__((warn_unused_result));

#endif
