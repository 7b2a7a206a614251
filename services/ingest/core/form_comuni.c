/* Loads the comuni, their WhatsApp channel and their topics for the form. */
#include "core/form_comuni.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"
#include "core/origin.h"

/* One row per comune; the first WhatsApp channel is where sign-ups go. */
static const char SQL_COMUNI[] =
    "SELECT c.id, c.name, c.privacy_url, c.privacy_version,"
    " coalesce(ch.id, 0), coalesce(ch.sender_account, ''), c.site_origin"
    " FROM comuni c LEFT JOIN LATERAL (SELECT id, sender_account FROM channels"
    "  WHERE comune_id = c.id AND kind = 'whatsapp' ORDER BY id LIMIT 1) ch ON true"
    " ORDER BY c.id";
static const char SQL_TOPICS[] =
    "SELECT comune_id, slug, name FROM topics ORDER BY comune_id, slug";

/* Copies src into a fixed buffer; false if it does not fit. */
static bool fits(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* Orders comuni by id. */
static int comune_cmp(const void *a, const void *b)
{
	return strcmp(((const struct form_comune *)a)->id, ((const struct form_comune *)b)->id);
}

/* Fills the comuni from a result; returns how many fitted. */
static size_t load_rows(PGresult *res, struct form_comune *arr)
{
	size_t n = 0;

	for (int r = 0; r < PQntuples(res); r++) {
		struct form_comune *c = &arr[n];
		if (!fits(c->id, sizeof(c->id), PQgetvalue(res, r, 0)) ||
		    !fits(c->name, sizeof(c->name), PQgetvalue(res, r, 1)) ||
		    !fits(c->privacy_url, sizeof(c->privacy_url), PQgetvalue(res, r, 2)) ||
		    !fits(c->privacy_version, sizeof(c->privacy_version), PQgetvalue(res, r, 3)) ||
		    !fits(c->wa_sender, sizeof(c->wa_sender), PQgetvalue(res, r, 5))) {
			log_warn("directory.comune_skipped", "comune %.64s: field too long",
			         PQgetvalue(res, r, 0));
			memset(c, 0, sizeof(*c));
			continue;
		}
		c->wa_channel_id = strtoll(PQgetvalue(res, r, 4), NULL, 10);
		/* Kept as an origin, compared as browsers send it; unusable: none. */
		_Static_assert(sizeof(c->site_origin) >= ORIGIN_MAX, "an origin fits");
		if (origin_of(PQgetvalue(res, r, 6), c->site_origin) != 0)
			c->site_origin[0] = '\0';
		n++;
	}
	return n;
}

/* Adds the topics to their comuni (the first FORM_TOPICS_MAX of each). */
static void load_topics(PGresult *res, struct form_comune *arr, size_t n)
{
	for (int r = 0; r < PQntuples(res); r++) {
		struct form_comune *c = (struct form_comune *)form_comuni_find(arr, n,
		                                                              PQgetvalue(res, r, 0));
		if (c == NULL || c->ntopics == FORM_TOPICS_MAX)
			continue;
		struct form_topic *t = &c->topics[c->ntopics];
		if (fits(t->slug, sizeof(t->slug), PQgetvalue(res, r, 1)) &&
		    fits(t->name, sizeof(t->name), PQgetvalue(res, r, 2)))
			c->ntopics++;
	}
}

int form_comuni_load(struct db *db, struct form_comune **out, size_t *n)
{
	PGresult *cres, *tres;
	struct form_comune *arr;

	cres = db_read(db, SQL_COMUNI, 0, NULL);
	if (cres == NULL)
		return -1;
	tres = db_read(db, SQL_TOPICS, 0, NULL);
	if (tres == NULL) {
		PQclear(cres);
		return -1;
	}
	arr = xcalloc((size_t)PQntuples(cres) + 1, sizeof(*arr));
	*n = load_rows(cres, arr);
	qsort(arr, *n, sizeof(*arr), comune_cmp);
	load_topics(tres, arr, *n);
	PQclear(cres);
	PQclear(tres);
	*out = arr;
	return 0;
}

const struct form_comune *form_comuni_find(const struct form_comune *arr, size_t n,
                                           const char *id)
{
	struct form_comune probe;

	if (arr == NULL || !fits(probe.id, sizeof(probe.id), id))
		return NULL;
	return bsearch(&probe, arr, n, sizeof(probe), comune_cmp);
}
