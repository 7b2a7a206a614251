/* Lists and coordinates from the command line; see ctl_csv.h. */
#include "ctl_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "pgarr.h"
#include "xmalloc.h"

/* true if item[0..n) is a list item we accept. */
static bool item_ok(const char *item, size_t n, bool spaces)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)item[i];
		if (c < 0x20 || c == 0x7f || (!spaces && c == ' '))
			return false;
	}
	return true;
}

char *ctl_csv_array(const char *csv, const char *option, bool spaces)
{
	struct pgarr a = { 0 };
	const char *p = csv;
	char *out;

	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		const char *s = p, *e = p + n;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if (!item_ok(s, (size_t)(e - s), spaces)) {
			pgarr_free(&a, 1);
			ctl_usage("%s: \"%.*s\" is not a valid item (1-64 characters%s)", option, (int)n, p,
			          spaces ? "" : ", no blanks");
			return NULL;
		}
		char *item = xstrndup(s, (size_t)(e - s));
		pgarr_add(&a, item);
		free(item);
		p += n + (p[n] == ',');
	}
	out = xstrdup(pgarr_end(&a));
	pgarr_free(&a, 1);
	return out;
}

char *ctl_latlon_point(const char *arg)
{
	char *end, buf[64];
	double lat, lon;

	lat = strtod(arg, &end);
	if (end == arg || *end != ',')
		goto bad;
	arg = end + 1;
	lon = strtod(arg, &end);
	if (end == arg || *end != '\0' || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180))
		goto bad;
	snprintf(buf, sizeof(buf), "(%.6f,%.6f)", lon, lat);
	return xstrdup(buf);
bad:
	ctl_usage("--centroid takes LAT,LON in degrees, e.g. 45.0703,7.6869");
	return NULL;
}
