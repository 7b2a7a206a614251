/* Comuni and recorded alerts for drafting; see place.h. */
#include "place.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Splits a newline-separated list into a new array of new strings. */
static size_t split_lines(const char *s, char ***out)
{
	size_t n = 0;

	*out = NULL;
	while (*s != '\0') {
		size_t len = strcspn(s, "\n");
		if (len > 0) {
			*out = xrealloc(*out, (n + 1) * sizeof(**out));
			(*out)[n++] = xstrndup(s, len);
		}
		s += len + (s[len] == '\n');
	}
	return n;
}

int places_load(struct db *db, const char *comuni, struct places *out)
{
	const char *params[1] = { comuni };
	PGresult *res = db_exec(db, "SELECT id, array_to_string(cap_geocodes, E'\\n'), "
	                            "centroid IS NOT NULL, coalesce(centroid[1], 0), "
	                            "coalesce(centroid[0], 0) FROM comuni "
	                            "WHERE id = ANY ($1::text[]) ORDER BY id", 1, params);

	out->p = NULL;
	out->n = 0;
	if (res == NULL)
		return -1;
	out->n = (size_t)PQntuples(res);
	out->p = xcalloc(out->n + 1, sizeof(*out->p));
	for (size_t i = 0; i < out->n; i++) {
		struct place *p = &out->p[i];
		char **codes;
		p->id = xstrdup(PQgetvalue(res, (int)i, 0));
		p->ngeocodes = split_lines(PQgetvalue(res, (int)i, 1), &codes);
		p->geocodes = (const char *const *)codes;
		p->has_centroid = PQgetvalue(res, (int)i, 2)[0] == 't';
		p->centroid.lat = strtod(PQgetvalue(res, (int)i, 3), NULL);
		p->centroid.lon = strtod(PQgetvalue(res, (int)i, 4), NULL);
	}
	PQclear(res);
	return 0;
}

void places_free(struct places *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		for (size_t k = 0; k < ps->p[i].ngeocodes; k++)
			free((char *)ps->p[i].geocodes[k]);
		free((void *)ps->p[i].geocodes);
		free((char *)ps->p[i].id);
	}
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}

int place_thread_info(struct db *db, const char *alert_id, struct cap_info *out)
{
	const char *params[1] = { alert_id };
	PGresult *res = db_exec(db, "SELECT event, severity FROM cap_alerts WHERE id = $1::bigint",
	                        1, params);
	char **s[] = { &out->language, &out->urgency, &out->certainty, &out->onset,
		       &out->effective, &out->expires, &out->sender_name, &out->headline,
		       &out->description, &out->instruction, &out->web, &out->awareness };

	memset(out, 0, sizeof(*out));
	if (res == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		*s[i] = xstrdup("");
	out->event = xstrdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
	out->severity = xstrdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 1) : "");
	PQclear(res);
	return 0;
}

void place_info_free(struct cap_info *in)
{
	char **s[] = { &in->language, &in->event, &in->urgency, &in->severity, &in->certainty,
		       &in->onset, &in->effective, &in->expires, &in->sender_name,
		       &in->headline, &in->description, &in->instruction, &in->web, &in->awareness };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
	memset(in, 0, sizeof(*in));
}

