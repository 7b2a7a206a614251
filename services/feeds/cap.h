/*
 * A CAP 1.2 alert read from XML (libxml2): checked against the schema
 * (cap-1.2.xsd) and then taken apart into what the feeds service needs.
 * Only what drafting uses is kept; strings are owned by the alert, never
 * NULL (an absent element is ""), trimmed of surrounding blanks.
 *
 * An alert holds several <info> blocks (one per language, as MeteoAlarm
 * publishes them, or several events): cap_info_pick() chooses the one to
 * write notices from, Italian first.
 */
#ifndef BND_FEEDS_CAP_H
#define BND_FEEDS_CAP_H

#include <stddef.h>
#include <time.h>

#include "geo.h"

#define CAP_NS "urn:oasis:names:tc:emergency:cap:1.2"

struct cap_polygon {
	struct geo_point *pts;
	size_t n;
};

struct cap_circle {
	struct geo_point centre;
	double radius_km;
};

struct cap_geocode {
	char *name, *value;
};

struct cap_area {
	char *desc;
	struct cap_polygon *polygons;
	size_t npolygons;
	struct cap_circle *circles;
	size_t ncircles;
	struct cap_geocode *geocodes;
	size_t ngeocodes;
};

struct cap_info {
	char *language, *event, *urgency, *severity, *certainty;
	char *onset, *effective, *expires;      /* as written; "" if absent */
	char *sender_name, *headline, *description, *instruction, *web;
	char *awareness;   /* MeteoAlarm's <parameter> awareness_level, "3; orange; Severe" */
	struct cap_area *areas;
	size_t nareas;
};

struct cap_alert {
	char *identifier, *sender, *sent, *status, *msg_type, *scope;
	char *references;   /* "sender,identifier,sent ..." as written */
	struct cap_info *infos;
	size_t ninfos;
};

struct cap_schema;

/* Loads the XML Schema at path; NULL (logged) if it cannot be read. */
struct cap_schema *cap_schema_load(const char *path);
void cap_schema_free(struct cap_schema *s);

/*
 * Parses and validates one document of len bytes. 0 with *a filled
 * (cap_alert_free it), or -1 with why (a short reason: not XML, not
 * CAP, the schema's first complaint, a bad polygon) filled.
 */
int cap_parse(const struct cap_schema *schema, const char *xml, size_t len,
              struct cap_alert *a, char *why, size_t whylen)
    __attribute__((warn_unused_result));
void cap_alert_free(struct cap_alert *a);

/*
 * If the document is an Atom feed (as MeteoAlarm publishes), the address
 * of the CAP alert of each entry: its link of type application/cap+xml,
 * else its first link. *links gets a new array of new strings (caller
 * frees each and the array). The number of links, or -1 if the document
 * is not an Atom feed.
 */
int cap_atom_links(const char *xml, size_t len, char ***links);

/* The info to write from: the first whose language is Italian ("it",
 * "it-IT"), else the first; NULL if the alert has none. */
const struct cap_info *cap_info_pick(const struct cap_alert *a);

/* Minor 1, Moderate 2, Severe 3, Extreme 4; anything else 0. */
int cap_severity_rank(const char *severity);

/* A CAP time ("2026-12-03T07:30:00+01:00") as Unix seconds; 0 if it
 * does not parse (or is empty). */
time_t cap_time(const char *s);

/*
 * One entry of <references>, "sender,identifier,sent": its fields copied
 * into the buffers. refs is walked with *pos (start at 0); 1 per entry,
 * 0 at the end.
 */
int cap_reference_next(const char *refs, size_t *pos, char *sender, char *identifier,
                       char *sent, size_t size);

#endif
