/*
 * The walk over a WhatsApp webhook document:
 * {"object":"whatsapp_business_account","entry":[{"changes":[
 *   {"field":"messages","value":{"metadata":{"phone_number_id":..},
 *    "messages":[..],"statuses":[..]}}]}]}
 * Each item becomes an event in wa_event.c.
 */
#include "webhooks/wa_webhook.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmalloc.h"

/* The state of one parse. */
struct wa_parse {
	struct wa_webhook *wh;
	size_t evcap, chcap;
	wa_lookup_fn lookup;
	void *arg;
	char *err;
	size_t errlen;
};

/* Keeps ev (or counts why there is none). */
static void keep(struct wa_parse *ps, struct wa_event *ev, enum wa_skip why)
{
	struct wa_webhook *wh = ps->wh;

	if (ev == NULL) {
		if (why == WA_SKIP_SENDER)
			wh->skipped_sender++;
		else
			wh->skipped_invalid++;
		return;
	}
	if (wh->nevents == ps->evcap) {
		ps->evcap = ps->evcap ? ps->evcap * 2 : 8;
		wh->events = xrealloc(wh->events, ps->evcap * sizeof(*wh->events));
	}
	wh->events[wh->nevents++] = ev;
}

/* The channel of a phone_number_id, looked up once per POST; NULL if unknown. */
static const struct wa_channel *channel_for(struct wa_parse *ps, const char *pnid)
{
	struct wa_webhook *wh = ps->wh;
	struct wa_channel ch;

	for (size_t i = 0; i < wh->nchannels; i++)
		if (strcmp(wh->channels[i].sender_account, pnid) == 0)
			return &wh->channels[i];
	if (strlen(pnid) >= sizeof(ch.sender_account))
		return NULL;
	memset(&ch, 0, sizeof(ch));
	if (!ps->lookup(ps->arg, pnid, &ch))
		return NULL;
	snprintf(ch.sender_account, sizeof(ch.sender_account), "%s", pnid);
	if (wh->nchannels == ps->chcap) {
		ps->chcap = ps->chcap ? ps->chcap * 2 : 2;
		wh->channels = xrealloc(wh->channels, ps->chcap * sizeof(*wh->channels));
	}
	wh->channels[wh->nchannels] = ch;
	explicit_bzero(&ch, sizeof(ch));
	return &wh->channels[wh->nchannels++];
}

/* Counts a change naming no channel of ours; keeps its id (cut) once. */
static void remember_unknown(struct wa_webhook *wh, const char *pnid)
{
	char shown[WA_UNKNOWN_ID_LEN];

	wh->unknown_changes++;
	(void)utf8_truncate(shown, sizeof(shown), pnid, true);
	for (size_t i = 0; i < wh->nunknown_ids; i++)
		if (strcmp(wh->unknown_ids[i], shown) == 0)
			return;
	if (wh->nunknown_ids < WA_UNKNOWN_IDS_MAX)
		memcpy(wh->unknown_ids[wh->nunknown_ids++], shown, sizeof(shown));
}

/* Fails the parse at entry[i].changes[j]. */
static enum wa_err fail(struct wa_parse *ps, enum wa_err rc, const char *what,
                        size_t i, size_t j)
{
	snprintf(ps->err, ps->errlen, "entry[%zu].changes[%zu]: %s", i, j, what);
	return rc;
}

/* One entry[i].changes[j]. */
static enum wa_err walk_change(struct wa_parse *ps, const json_t *change,
                               size_t i, size_t j)
{
	const json_t *value, *messages, *statuses, *item;
	const struct wa_channel *ch;
	const char *field, *pnid;
	size_t k;

	if (!json_is_object(change))
		return fail(ps, WA_ERR_SHAPE, "not an object", i, j);
	field = wa_jstr(change, "field");
	if (field == NULL || strcmp(field, "messages") != 0) {
		ps->wh->ignored_changes++;
		return WA_OK;
	}
	value = json_object_get(change, "value");
	if (!json_is_object(value))
		return fail(ps, WA_ERR_SHAPE, "value is missing", i, j);
	pnid = wa_jstr2(value, "metadata", "phone_number_id");
	if (pnid == NULL || *pnid == '\0')
		return fail(ps, WA_ERR_SHAPE, "value.metadata.phone_number_id is missing", i, j);
	ch = channel_for(ps, pnid);
	if (ch == NULL) {
		remember_unknown(ps->wh, pnid);
		return WA_OK;
	}
	messages = json_object_get(value, "messages");
	statuses = json_object_get(value, "statuses");
	if ((messages != NULL && !json_is_array(messages)) ||
	    (statuses != NULL && !json_is_array(statuses)))
		return fail(ps, WA_ERR_SHAPE, "messages/statuses is not an array", i, j);
	json_array_foreach(messages, k, item) {
		struct wa_event *ev = NULL;
		enum wa_skip why = WA_SKIP_INVALID;
		if (json_is_object(item))
			ev = wa_event_message(ch, item, &why);
		keep(ps, ev, why);
	}
	json_array_foreach(statuses, k, item) {
		struct wa_event *ev = NULL;
		enum wa_skip why = WA_SKIP_INVALID;
		if (json_is_object(item))
			ev = wa_event_status(ch, item, &why);
		keep(ps, ev, why);
	}
	return WA_OK;
}

/* Fails the parse with a message about the document's outer shape. */
static enum wa_err fail_doc(struct wa_parse *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static enum wa_err fail_doc(struct wa_parse *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return WA_ERR_SHAPE;
}

/* The whole document. */
static enum wa_err walk_root(struct wa_parse *ps, const json_t *root)
{
	const json_t *entries, *entry, *changes, *change;
	const char *object;
	size_t i, j;
	enum wa_err rc;

	if (!json_is_object(root))
		return fail_doc(ps, "body is not a JSON object");
	object = wa_jstr(root, "object");
	if (object == NULL || strcmp(object, "whatsapp_business_account") != 0)
		return fail_doc(ps, "object is not \"whatsapp_business_account\"");
	entries = json_object_get(root, "entry");
	if (!json_is_array(entries))
		return fail_doc(ps, "entry[] is missing");
	json_array_foreach(entries, i, entry) {
		if (!json_is_object(entry))
			return fail_doc(ps, "entry[%zu] is not an object", i);
		changes = json_object_get(entry, "changes");
		if (changes != NULL && !json_is_array(changes))
			return fail_doc(ps, "entry[%zu].changes is not an array", i);
		json_array_foreach(changes, j, change) {
			rc = walk_change(ps, change, i, j);
			if (rc != WA_OK)
				return rc;
		}
	}
	return WA_OK;
}

enum wa_err wa_webhook_parse(const void *body, size_t len, wa_lookup_fn lookup,
                             void *arg, struct wa_webhook *out,
                             char *err, size_t errlen)
{
	struct wa_parse ps = { .wh = out, .lookup = lookup, .arg = arg,
	                       .err = err, .errlen = errlen };
	json_error_t jerr;
	json_t *root;
	enum wa_err rc;

	memset(out, 0, sizeof(*out));
	if (errlen > 0)
		err[0] = '\0';
	if (memchr(body, '\0', len) != NULL) {
		/* Never JSON (a NUL in a string is written \u0000); and the
		 * repaired copy below is a C string that would end there. */
		snprintf(err, errlen, "invalid JSON: NUL byte at offset %zu",
		         (size_t)((const char *)memchr(body, '\0', len) - (const char *)body));
		return WA_ERR_JSON;
	}
	if (utf8_valid(body, len)) {
		root = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
	} else {
		/* Meta's words (a profile name, a message) are repaired, never
		 * refused: a 400 would make Meta retry the batch for days. The
		 * signature is checked over the raw bytes, not this copy. */
		char *fixed = utf8_repair(body, len);
		root = json_loads(fixed, JSON_DECODE_ANY, &jerr);
		free(fixed);
	}
	if (root == NULL) {
		snprintf(err, errlen, "invalid JSON at line %d column %d: %s",
		         jerr.line, jerr.column, jerr.text);
		return WA_ERR_JSON;
	}
	rc = walk_root(&ps, root);
	json_decref(root);
	if (rc != WA_OK)
		wa_webhook_free(out);
	return rc;
}

void wa_webhook_free(struct wa_webhook *wh)
{
	for (size_t i = 0; i < wh->nevents; i++)
		wa_event_free(wh->events[i]);
	free(wh->events);
	if (wh->channels != NULL) {
		explicit_bzero(wh->channels, wh->nchannels * sizeof(*wh->channels));
		free(wh->channels);
	}
	memset(wh, 0, sizeof(*wh));
}
