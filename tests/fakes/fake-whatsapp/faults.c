/* The fault schedule of the send endpoint: counted faults and time windows. */
#include "faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* A pending fault. */
struct fault {
	struct fault     *next;
	struct fault_spec spec;     /* its strings are owned copies (or NULL) */
	int64_t           until_ms; /* windows: end; 0 for counted faults */
	long              hits;
};

struct faults {
	struct fault *list;         /* in the order they were added */
};

static const char *const fault_action_names[] = { "error", "timeout", "reset" };

struct faults *faults_new(void)
{
	return xcalloc(1, sizeof(struct faults));
}

/* Frees one fault. */
static void fault_free(struct fault *f)
{
	free((char *)f->spec.to);
	free((char *)f->spec.pnid);
	free(f);
}

void faults_clear(struct faults *fs)
{
	struct fault *f, *next;

	for (f = fs->list; f != NULL; f = next) {
		next = f->next;
		fault_free(f);
	}
	fs->list = NULL;
}

void faults_free(struct faults *fs)
{
	if (fs == NULL)
		return;
	faults_clear(fs);
	free(fs);
}

int faults_parse(const json_t *in, struct fault_spec *spec, char *err, size_t errlen)
{
	json_int_t code = 0, count = 1, status = 0, duration = 0;
	const char *action = "error";
	json_error_t jerr;

	memset(spec, 0, sizeof(*spec));
	if (!json_is_object(in) ||
	    json_unpack_ex((json_t *)in, &jerr, JSON_STRICT,
	                   "{s?:I, s?:I, s?:I, s?:I, s?:s, s?:s, s?:s}", "code", &code, "count",
	                   &count, "http", &status, "duration_ms", &duration, "to", &spec->to,
	                   "phone_number_id", &spec->pnid, "action", &action) != 0) {
		snprintf(err, errlen, "want {\"code\":N, \"count\":1, \"http\":0, \"duration_ms\":0, "
		         "\"to\":\"digits\", \"phone_number_id\":\"id\", \"action\":\"error\"}");
		return -1;
	}
	for (spec->action = FAULT_ERROR; spec->action <= FAULT_RESET; spec->action++)
		if (strcmp(action, fault_action_names[spec->action]) == 0)
			break;
	if (spec->action > FAULT_RESET) {
		snprintf(err, errlen, "action must be error, timeout or reset");
		return -1;
	}
	if ((spec->action == FAULT_ERROR && code <= 0) || count == 0 || duration < 0 ||
	    (status != 0 && (status < 100 || status > 599))) {
		snprintf(err, errlen, "errors need a code > 0; count != 0; duration_ms >= 0; "
		         "http 0 or 100-599");
		return -1;
	}
	spec->code = (int)code;
	spec->http = (int)status;
	spec->count = (long)count;
	spec->duration_ms = (long)duration;
	return 0;
}

void faults_add(struct faults *fs, const struct fault_spec *spec, int64_t now_ms)
{
	struct fault *f = xcalloc(1, sizeof(*f)), **tail = &fs->list;

	f->spec = *spec;
	f->spec.to = spec->to && *spec->to ? xstrdup(spec->to) : NULL;
	f->spec.pnid = spec->pnid && *spec->pnid ? xstrdup(spec->pnid) : NULL;
	if (spec->duration_ms > 0)
		f->until_ms = now_ms + spec->duration_ms;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = f;
}

/* true if f is about this request. */
static bool fault_matches(const struct fault *f, const char *pnid, const char *to)
{
	if (f->spec.to != NULL && (to == NULL || strcmp(f->spec.to, to) != 0))
		return false;
	return f->spec.pnid == NULL || (pnid != NULL && strcmp(f->spec.pnid, pnid) == 0);
}

bool faults_take(struct faults *fs, const char *pnid, const char *to, int64_t now_ms,
                 struct fault_spec *out)
{
	struct fault **pp = &fs->list, *f;

	while ((f = *pp) != NULL) {
		if (f->until_ms > 0 && now_ms >= f->until_ms) {   /* window over */
			*pp = f->next;
			fault_free(f);
			continue;
		}
		if (!fault_matches(f, pnid, to)) {
			pp = &f->next;
			continue;
		}
		*out = f->spec;
		out->to = out->pnid = NULL;
		f->hits++;
		if (f->until_ms == 0 && f->spec.count > 0 && --f->spec.count == 0) {
			*pp = f->next;
			fault_free(f);
		}
		return true;
	}
	return false;
}

json_t *faults_json(const struct faults *fs, int64_t now_ms)
{
	json_t *out = json_array();

	for (const struct fault *f = fs->list; f != NULL; f = f->next) {
		if (f->until_ms > 0 && now_ms >= f->until_ms)
			continue;
		json_array_append_new(out, json_pack(
			"{s:s, s:i, s:i, s:I, s:I, s:s?, s:s?, s:I}",
			"action", fault_action_names[f->spec.action], "code", f->spec.code,
			"http", f->spec.http, "count", (json_int_t)(f->until_ms ? 0 : f->spec.count),
			"remaining_ms", (json_int_t)(f->until_ms ? f->until_ms - now_ms : 0),
			"to", f->spec.to, "phone_number_id", f->spec.pnid, "hits", (json_int_t)f->hits));
	}
	return out;
}
