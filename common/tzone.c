/* TZif zones and POSIX TZ rules, re-entrant; see tzone.h. */
#include "tzone.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define TZONE_FILE_MAX (256 * 1024)
#define DAY 86400L

/* A day of the year in a POSIX rule: Jn, n or Mm.w.d, and a time of day. */
struct tz_date {
	char form;           /* 'J' (1..365, no 29 Feb), 'D' (0..365), 'M' */
	int  n, m, w, d;
	long secs;           /* local time of the change, seconds (may be < 0 or > a day) */
};

/* A POSIX TZ string, e.g. "CET-1CEST,M3.5.0,M10.5.0/3". */
struct tz_rule {
	long std_off, dst_off;   /* seconds east of UTC */
	bool has_dst;
	struct tz_date start, end;
};

struct tzone {
	size_t   n;              /* transitions */
	int64_t *at;             /* when, ascending */
	long    *off;            /* the offset from then on */
	long     first_off;      /* before the first transition */
	bool     has_rule;       /* after the last one: rule, else off[n - 1] */
	struct tz_rule rule;
};

/* --- calendar ------------------------------------------------------------ */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The year of day z (days from 1970-01-01). */
static int64_t year_of_days(int64_t z)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	return yoe + era * 400 + (mp >= 10);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The local day (from 1970-01-01) a rule date falls on in year y. */
static int64_t tz_date_day(const struct tz_date *dt, int64_t y)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t jan1 = days_from_civil(y, 1, 1), first;
	int dim, wd, day;

	if (dt->form == 'J')
		return jan1 + dt->n - 1 + (leap(y) && dt->n >= 60);
	if (dt->form == 'D')
		return jan1 + dt->n;
	first = days_from_civil(y, dt->m, 1);
	wd = (int)((first % 7 + 11) % 7);   /* 1970-01-01 was a Thursday (4) */
	dim = mdays[dt->m - 1] + (dt->m == 2 && leap(y));
	day = 1 + (dt->d - wd + 7) % 7 + (dt->w - 1) * 7;
	while (day > dim)
		day -= 7;
	return first + day - 1;
}

/* --- POSIX TZ strings ----------------------------------------------------- */

/* Skips a zone abbreviation ("CET" or "<+03>"). */
static bool tz_skip_name(const char **p)
{
	const char *s = *p;

	if (*s == '<') {
		while (*s != '\0' && *s != '>')
			s++;
		if (*s != '>')
			return false;
		*p = s + 1;
		return true;
	}
	while (isalpha((unsigned char)*s))
		s++;
	if (s - *p < 3)
		return false;
	*p = s;
	return true;
}

/* [+-]hh[:mm[:ss]] into seconds; hours up to 167. */
static bool tz_parse_hms(const char **p, long *out)
{
	const char *s = *p;
	long sign = 1, v[3] = { 0, 0, 0 };
	int i = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*s))
		return false;
	for (;;) {
		char *end;
		v[i] = strtol(s, &end, 10);
		if (end == s || v[i] < 0 || v[i] > (i == 0 ? 167 : 59))
			return false;
		s = end;
		if (*s != ':' || ++i == 3)
			break;
		s++;
	}
	*out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	*p = s;
	return true;
}

/* ",Jn[/time]", ",n[/time]" or ",Mm.w.d[/time]". */
static bool tz_parse_date(const char **p, struct tz_date *dt)
{
	const char *s = *p;
	char *end;

	if (*s++ != ',')
		return false;
	memset(dt, 0, sizeof(*dt));
	dt->secs = 7200;
	if (*s == 'M') {
		dt->form = 'M';
		dt->m = (int)strtol(s + 1, &end, 10);
		if (*end != '.')
			return false;
		dt->w = (int)strtol(end + 1, &end, 10);
		if (*end != '.')
			return false;
		dt->d = (int)strtol(end + 1, &end, 10);
		if (dt->m < 1 || dt->m > 12 || dt->w < 1 || dt->w > 5 || dt->d < 0 || dt->d > 6)
			return false;
	} else {
		dt->form = *s == 'J' ? 'J' : 'D';
		s += *s == 'J';
		if (!isdigit((unsigned char)*s))
			return false;
		dt->n = (int)strtol(s, &end, 10);
		if (dt->n < (dt->form == 'J') || dt->n > 365)
			return false;
	}
	s = end;
	if (*s == '/') {
		s++;
		if (!tz_parse_hms(&s, &dt->secs))
			return false;
	}
	*p = s;
	return true;
}

/* Parses a POSIX TZ string (RFC 8536 section 3.3); "" is UTC. */
static bool tz_parse_rule(const char *s, struct tz_rule *r)
{
	long west;

	memset(r, 0, sizeof(*r));
	if (*s == '\0')
		return true;
	if (!tz_skip_name(&s) || !tz_parse_hms(&s, &west))
		return false;
	r->std_off = r->dst_off = -west;
	if (*s == '\0')
		return true;
	if (!tz_skip_name(&s))
		return false;
	r->has_dst = true;
	r->dst_off = r->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (!tz_parse_hms(&s, &west))
			return false;
		r->dst_off = -west;
	}
	if (*s == '\0')
		s = ",M3.2.0,M11.1.0";   /* POSIX's default: the United States' rule */
	return tz_parse_date(&s, &r->start) && tz_parse_date(&s, &r->end) && *s == '\0';
}

/* The offset the rule gives at Unix time t. */
static long tz_rule_offset(const struct tz_rule *r, int64_t t)
{
	int64_t y = year_of_days(floor_div(t + r->std_off, DAY)), best = INT64_MIN;
	long off = r->std_off;

	if (!r->has_dst)
		return r->std_off;
	/* The latest change at or before t, among those of the years around it. */
	for (int64_t yy = y - 1; yy <= y + 1; yy++) {
		int64_t start = tz_date_day(&r->start, yy) * DAY + r->start.secs - r->std_off;
		int64_t end = tz_date_day(&r->end, yy) * DAY + r->end.secs - r->dst_off;
		if (end <= t && end > best) {
			best = end;
			off = r->std_off;
		}
		if (start <= t && start >= best) {   /* a tie: DST all year */
			best = start;
			off = r->dst_off;
		}
	}
	return off;
}

/* --- TZif files ----------------------------------------------------------- */

static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* The counts of a TZif header. */
struct tzif_counts {
	size_t isut, isstd, leap, time, type, chars;
};

/* Reads a header at p; false if it is none. */
static bool tzif_header(const unsigned char *p, size_t len, struct tzif_counts *c)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return false;
	c->isut = (size_t)be(p + 20, 4);
	c->isstd = (size_t)be(p + 24, 4);
	c->leap = (size_t)be(p + 28, 4);
	c->time = (size_t)be(p + 32, 4);
	c->type = (size_t)be(p + 36, 4);
	c->chars = (size_t)be(p + 40, 4);
	return c->type > 0 && c->type <= 256 && c->time < TZONE_FILE_MAX && c->chars < 65536 &&
	       c->leap < TZONE_FILE_MAX && c->isut <= c->type && c->isstd <= c->type;
}

/* The length of a data block whose times take tsize bytes. */
static size_t tzif_block(const struct tzif_counts *c, int tsize)
{
	return c->time * (size_t)tsize + c->time + c->type * 6 + c->chars +
	       c->leap * (size_t)(tsize + 4) + c->isstd + c->isut;
}

/* Fills z from a data block at p (times of tsize bytes). */
static bool tzif_data(struct tzone *z, const struct tzif_counts *c, const unsigned char *p,
                      int tsize)
{
	const unsigned char *idx = p + c->time * (size_t)tsize, *types = idx + c->time;

	z->n = c->time;
	z->at = xcalloc(z->n + 1, sizeof(*z->at));
	z->off = xcalloc(z->n + 1, sizeof(*z->off));
	for (size_t i = 0; i < z->n; i++) {
		if (idx[i] >= c->type)
			return false;
		z->at[i] = be(p + i * (size_t)tsize, tsize);
		z->off[i] = (long)be(types + 6 * idx[i], 4);
		if (i > 0 && z->at[i] <= z->at[i - 1])
			return false;
	}
	z->first_off = (long)be(types, 4);
	return true;
}

struct tzone *tzone_parse(const unsigned char *data, size_t len)
{
	struct tzone *z = xcalloc(1, sizeof(*z));
	struct tzif_counts c;
	size_t v1;

	if (!tzif_header(data, len, &c) || (v1 = 44 + tzif_block(&c, 4)) > len)
		goto bad;
	if (data[4] == '\0') {                      /* version 1: 32-bit times, no rule */
		if (!tzif_data(z, &c, data + 44, 4))
			goto bad;
		return z;
	}
	data += v1;
	len -= v1;
	if (!tzif_header(data, len, &c) || 44 + tzif_block(&c, 8) > len ||
	    !tzif_data(z, &c, data + 44, 8))
		goto bad;
	data += 44 + tzif_block(&c, 8);
	len -= 44 + tzif_block(&c, 8);
	/* The footer: "\n" rule "\n". */
	if (len >= 2 && data[0] == '\n') {
		const unsigned char *nl = memchr(data + 1, '\n', len - 1);
		char rule[128];
		if (nl == NULL || (size_t)(nl - data - 1) >= sizeof(rule))
			goto bad;
		memcpy(rule, data + 1, (size_t)(nl - data - 1));
		rule[nl - data - 1] = '\0';
		if (!tz_parse_rule(rule, &z->rule))
			goto bad;
		z->has_rule = rule[0] != '\0';
	}
	return z;
bad:
	tzone_free(z);
	return NULL;
}

/* true if name can only name a file below the zone folder. */
static bool tzone_name_ok(const char *name)
{
	if (name == NULL || *name == '\0' || *name == '/' || strlen(name) > 255)
		return false;
	for (const char *p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_-+", *p) == NULL)
			return false;
	return strstr(name, "..") == NULL;
}

struct tzone *tzone_load(const char *name)
{
	const char *dir = getenv("TZDIR");
	unsigned char *buf = NULL;
	struct tzone *z = NULL;
	char path[512];
	size_t len;
	FILE *f;

	if (!tzone_name_ok(name))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir != NULL && *dir != '\0' ? dir
	                                                              : "/usr/share/zoneinfo", name);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	buf = xmalloc(TZONE_FILE_MAX);
	len = fread(buf, 1, TZONE_FILE_MAX, f);
	if (ferror(f) == 0 && len < TZONE_FILE_MAX)
		z = tzone_parse(buf, len);
	fclose(f);
	free(buf);
	return z;
}

struct tzone *tzone_utc(void)
{
	return xcalloc(1, sizeof(struct tzone));
}

void tzone_free(struct tzone *z)
{
	if (z == NULL)
		return;
	free(z->at);
	free(z->off);
	free(z);
}

long tzone_offset(const struct tzone *z, int64_t t)
{
	size_t lo = 0, hi = z->n;

	if (z->n == 0 || t < z->at[0])
		return z->n == 0 && z->has_rule ? tz_rule_offset(&z->rule, t) : z->first_off;
	if (t >= z->at[z->n - 1])
		return z->has_rule ? tz_rule_offset(&z->rule, t) : z->off[z->n - 1];
	while (hi - lo > 1) {            /* at[lo] <= t < at[hi] */
		size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[lo];
}

int tzone_instants(const struct tzone *z, int64_t local, int64_t at[2])
{
	/* The offsets in force well before and well after local time `local`
	 * (a day either side, whatever the offset): one change at most lies
	 * between them. */
	long before = tzone_offset(z, local - DAY), after = tzone_offset(z, local + DAY);
	int64_t c1 = local - before, c2 = local - after;
	bool ok1 = c1 + tzone_offset(z, c1) == local, ok2 = c2 + tzone_offset(z, c2) == local;

	if (ok1 && ok2 && c1 != c2) {
		at[0] = c1 < c2 ? c1 : c2;
		at[1] = c1 < c2 ? c2 : c1;
		return 2;
	}
	if (ok1 || ok2) {
		at[0] = ok1 ? c1 : c2;
		return 1;
	}
	at[0] = c1;
	return 0;
}
