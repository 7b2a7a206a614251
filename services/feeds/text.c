/* Notice text from CAP fields; see text.h. */
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "xmalloc.h"

const char *text_colour(const char *severity)
{
	switch (cap_severity_rank(severity)) {
	case 2:
		return "gialla";
	case 3:
		return "arancione";
	case 4:
		return "rossa";
	default:
		return NULL;
	}
}

const char *text_colour_of(const struct cap_info *info)
{
	static const char *const names[][2] = { { "yellow", "gialla" }, { "orange", "arancione" },
		                                { "red", "rossa" } };
	const char *a = info->awareness != NULL ? strchr(info->awareness, ';') : NULL;

	if (a != NULL) {
		a += 1 + strspn(a + 1, " ");
		for (size_t i = 0; i < 3; i++)
			if (strncasecmp(a, names[i][0], strlen(names[i][0])) == 0)
				return names[i][1];
	}
	return text_colour(info->severity);
}

/* 01:00 UTC of the last Sunday of month (0-based) of year. */
static time_t last_sunday_1utc(int year, int month)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = month + 1, .tm_mday = 0, .tm_hour = 1 };
	time_t t = timegm(&tm);   /* day 0 of the next month: the last of this one */
	struct tm check;

	gmtime_r(&t, &check);
	return t - (time_t)check.tm_wday * 86400;
}

long text_rome_offset(time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (t >= last_sunday_1utc(tm.tm_year + 1900, 2) && t < last_sunday_1utc(tm.tm_year + 1900, 9))
		return 7200;
	return 3600;
}

void text_rome(time_t t, char out[64])
{
	static const char *const days[] = { "domenica", "lunedì", "martedì", "mercoledì",
		                            "giovedì", "venerdì", "sabato" };
	static const char *const months[] = { "gennaio", "febbraio", "marzo", "aprile",
		                              "maggio", "giugno", "luglio", "agosto",
		                              "settembre", "ottobre", "novembre", "dicembre" };
	time_t local = t + text_rome_offset(t);
	struct tm tm;

	gmtime_r(&local, &tm);
	snprintf(out, 64, "%s %d %s, ore %02d:%02d", days[tm.tm_wday], tm.tm_mday,
	         months[tm.tm_mon], tm.tm_hour, tm.tm_min);
}

/* A growing text. */
struct buf {
	char *s;
	size_t len, cap;
};

static void add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* "A, B e C". */
static void add_areas(struct buf *b, const struct text_in *in)
{
	for (size_t i = 0; i < in->nareas; i++)
		add(b, "%s%s", i == 0 ? "" : i + 1 == in->nareas ? " e " : ", ", in->areas[i]);
}

/* "Dalle ore ... alle ore ... (ora italiana)." from onset (or effective) and expires. */
static void add_period(struct buf *b, const struct cap_info *info)
{
	time_t from = cap_time(info->onset[0] != '\0' ? info->onset : info->effective);
	time_t to = cap_time(info->expires);
	char f[64], t[64];

	if (from != 0)
		text_rome(from, f);
	if (to != 0)
		text_rome(to, t);
	if (from != 0 && to != 0)
		add(b, "Validità: da %s a %s (ora italiana).\n", f, t);
	else if (from != 0)
		add(b, "Validità: da %s (ora italiana).\n", f);
	else if (to != 0)
		add(b, "Validità: fino a %s (ora italiana).\n", t);
}

static void render_body(const struct text_in *in, struct buf *b, const char *colour)
{
	const struct cap_info *info = in->info;
	const char *source = info->sender_name[0] != '\0' ? info->sender_name : "";

	if (in->kind == TEXT_CANCELLED || in->kind == TEXT_EXPIRED) {
		add(b, "L'allerta%s%s per %s", colour != NULL ? " " : "", colour != NULL ? colour : "",
		    info->event);
		if (in->nareas > 0) {
			add(b, " su ");
			add_areas(b, in);
		}
		add(b, in->kind == TEXT_CANCELLED ? " è stata revocata" : " è terminata");
		if (source[0] != '\0')
			add(b, " (%s)", source);
		add(b, ".");
		return;
	}
	if (info->headline[0] != '\0')
		add(b, "%s\n\n", info->headline);
	if (in->nareas > 0) {
		add(b, "Zone interessate: ");
		add_areas(b, in);
		add(b, ".\n");
	}
	add_period(b, info);
	if (info->description[0] != '\0')
		add(b, "\n%s\n", info->description);
	if (info->instruction[0] != '\0')
		add(b, "\nCosa fare: %s\n", info->instruction);
	if (source[0] != '\0')
		add(b, "\nFonte: %s.", source);
}

void text_render(const struct text_in *in, char **title, char **body)
{
	const char *colour = text_colour_of(in->info);
	const char *event = in->info->event;
	struct buf t = { 0 }, b = { 0 };

	switch (in->kind) {
	case TEXT_ALERT:
		if (colour != NULL)
			add(&t, "Allerta %s: %s", colour, event);
		else
			add(&t, "Avviso di protezione civile: %s", event);
		break;
	case TEXT_FOLLOWUP:
		add(&t, "Aggiornamento allerta%s%s: %s", colour != NULL ? " " : "",
		    colour != NULL ? colour : "", event);
		break;
	default:
		add(&t, "Allerta cessata: %s", event);
		break;
	}
	render_body(in, &b, colour);
	*title = xmalloc(TEXT_TITLE_MAX * 4 + 1);
	(void)utf8_truncate(*title, TEXT_TITLE_MAX * 4 + 1, t.s, true);
	if (utf8_chars(*title) > TEXT_TITLE_MAX)
		(void)utf8_truncate(*title, TEXT_TITLE_MAX, t.s, true);
	*body = xmalloc(TEXT_BODY_MAX + 1);
	(void)utf8_truncate(*body, TEXT_BODY_MAX + 1, b.s != NULL ? b.s : "", true);
	free(t.s);
	free(b.s);
}
