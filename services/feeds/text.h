/*
 * The Italian words of a drafted notice, from an alert's chosen <info>:
 * a title with the warning's familiar colour (MeteoAlarm's awareness level
 * if given, else Moderate: gialla, Severe: arancione, Extreme: rossa) and
 * event, and a body in plain sentences:
 * the headline, the areas, from when to when in Italian time
 * (Europe/Rome, its summer time computed, no tz database needed), the
 * description, what to do (<instruction>) and the source. Plain text, as
 * every notice is. Pure, unit-tested.
 */
#ifndef BND_FEEDS_TEXT_H
#define BND_FEEDS_TEXT_H

#include <stddef.h>
#include <time.h>

#include "cap.h"

#define TEXT_TITLE_MAX 120   /* characters, as the editors' API allows */
#define TEXT_BODY_MAX 3000

enum text_kind {
	TEXT_ALERT,           /* a new warning, or the revision of a pending draft */
	TEXT_FOLLOWUP,        /* an update of a warning already sent */
	TEXT_CANCELLED,       /* allerta cessata: the issuer withdrew it */
	TEXT_EXPIRED,         /* allerta cessata: its time ran out */
};

struct text_in {
	enum text_kind kind;
	const struct cap_info *info;
	const char *const *areas;   /* the areas that concern the comune */
	size_t nareas;
};

/* "gialla", "arancione", "rossa" for Moderate, Severe, Extreme; else NULL. */
const char *text_colour(const char *severity);
/* The info's colour: MeteoAlarm's awareness level (yellow, orange, red)
 * when it gives one, else its severity's. */
const char *text_colour_of(const struct cap_info *info);
/* t in Italian time: "giovedì 3 dicembre, ore 08:30". */
void text_rome(time_t t, char out[64]);
/* The UTC offset of Italian time at t, in seconds (3600 or 7200). */
long text_rome_offset(time_t t);
/* The notice's title and body (caller frees both), within the limits above. */
void text_render(const struct text_in *in, char **title, char **body);

#endif
