/*
 * Fuzz target: quiet-hours times (quiet_parse_time) and the release
 * arithmetic over them (quiet_release) in the comuni's zone; the first
 * eight bytes are an instant, the rest two "HH:MM" texts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiet.h"
#include "tzone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tzone *rome;   /* loaded once, kept for the whole run */
	struct quiet_hours q = { 0, 0, NULL };
	int64_t t = 0, rel;
	char *s, *end;

	if (rome == NULL)
		rome = quiet_zone("Europe/Rome");
	q.zone = rome;
	if (size < 8)
		return 0;
	memcpy(&t, data, 8);
	t %= 4102444800000LL;   /* up to 2100 */
	s = malloc(size - 7);
	memcpy(s, data + 8, size - 8);
	s[size - 8] = '\0';
	end = strchr(s, '-');
	if (end != NULL)
		*end++ = '\0';
	q.start_min = quiet_parse_time(s);
	q.end_min = end != NULL ? quiet_parse_time(end) : 0;
	if (q.start_min >= 0 && q.end_min >= 0 && t >= 0) {
		rel = quiet_release(&q, t);
		if (rel < t || quiet_inside(&q, rel))
			__builtin_trap();   /* released in the past, or still inside */
	}
	free(s);
	return 0;
}
