/* The width of a delivery timeline's intervals (timeline_step.h). */
#include "api/timeline_step.h"

#include <stdlib.h>

static const long ROUND[] = { 10,   30,   60,    120,   300,   600,   900,
	                      1800, 3600, 7200, 10800, 21600, 43200, 86400 };

int timeline_step_parse(const char *s, long *step, struct editor_error *err)
{
	char *end;
	long n;

	*step = 0;
	if (s == NULL || *s == '\0')
		return 0;
	n = strtol(s, &end, 10);
	if (*end != '\0' || s[0] < '0' || s[0] > '9' || n < TIMELINE_STEP_MIN ||
	    n > TIMELINE_STEP_MAX)
		return editor_invalid(err, "step", "step must be %ld to %ld seconds",
		                      TIMELINE_STEP_MIN, TIMELINE_STEP_MAX);
	*step = n;
	return 0;
}

/* True if step seconds cut span_s into at most TIMELINE_BUCKETS_MAX intervals
 * (the first and last may be partial, hence the +1). */
static int fits(long long span_s, long step)
{
	return span_s / step + 1 <= TIMELINE_BUCKETS_MAX;
}

long timeline_step(long long span_s, long asked)
{
	if (span_s < 0)
		span_s = 0;
	if (asked > 0 && fits(span_s, asked))
		return asked;
	for (size_t i = 0; i < sizeof(ROUND) / sizeof(ROUND[0]); i++)
		if (ROUND[i] >= asked && fits(span_s, ROUND[i]))
			return ROUND[i];
	for (long days = 2;; days++)
		if (days * 86400L >= asked && fits(span_s, days * 86400L))
			return days * 86400L;
}
