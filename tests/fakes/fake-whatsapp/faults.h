/*
 * The fault schedule: what tests inject into the send endpoint
 * (POST /_fake/faults). A fault applies to send requests, optionally only
 * to one recipient and/or one sender, either for its next `count`
 * requests (count < 0: for ever) or for `duration_ms` after it was added
 * (a window: every matching request in it). What it does:
 *   FAULT_ERROR    answer Meta error `code` (HTTP `http`, 0 = Meta's status)
 *   FAULT_TIMEOUT  never answer (the request is held until the client gives up)
 *   FAULT_RESET    drop the connection without an answer (closed with SO_LINGER 0)
 * The first pending fault that matches wins; faults are checked before
 * anything else of the request, in the order they were added.
 */
#ifndef FAKE_WA_FAULTS_H
#define FAKE_WA_FAULTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

enum fault_action { FAULT_ERROR, FAULT_TIMEOUT, FAULT_RESET };

struct fault_spec {
	enum fault_action action;
	int               code;         /* FAULT_ERROR */
	int               http;         /* 0: the status Meta uses for code */
	long              count;        /* requests; < 0 for ever; ignored if duration_ms > 0 */
	long              duration_ms;  /* > 0: a window from now */
	const char       *to;           /* NULL/"": any recipient */
	const char       *pnid;         /* NULL/"": any sender */
};

struct faults;

struct faults *faults_new(void);
void faults_free(struct faults *fs);

/*
 * Parses a POST /_fake/faults body into spec (strings point into in).
 * Accepts {"code":N, "http":S, "count":C, "duration_ms":D, "to":"digits",
 * "phone_number_id":"id", "action":"error"|"timeout"|"reset"}; "code" is
 * required for errors. 0, or -1 with a reason in err.
 */
int faults_parse(const json_t *in, struct fault_spec *spec, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Adds a fault at now_ms (copies the strings). */
void faults_add(struct faults *fs, const struct fault_spec *spec, int64_t now_ms);
/*
 * The fault that applies to a request from pnid to `to` (to may be NULL)
 * at now_ms, counted as used; false if none. *out gets its action, code
 * and status (its strings are not set).
 */
bool faults_take(struct faults *fs, const char *pnid, const char *to, int64_t now_ms,
                 struct fault_spec *out);
/* Pending faults as JSON (with how often each was used). New reference. */
json_t *faults_json(const struct faults *fs, int64_t now_ms);
void faults_clear(struct faults *fs);

#endif
