/* Pagination cursor tokens. */
#include "api/cursor.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/editor_validate.h"

void cursor_format(const struct cursor *c, char out[CURSOR_MAX])
{
	snprintf(out, CURSOR_MAX, "%lld_%s", c->micros, c->id);
}

bool cursor_parse(const char *s, struct cursor *c)
{
	const char *sep = strchr(s, '_');
	char digits[21], id[UUID_STR_LEN + 1];
	size_t n;
	long long v;
	char *end;

	if (sep == NULL)
		return false;
	n = (size_t)(sep - s);
	if (n == 0 || n >= sizeof(digits))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	memcpy(digits, s, n);
	digits[n] = '\0';
	errno = 0;
	v = strtoll(digits, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	if (!uuid_parse(sep + 1, id))
		return false;
	c->micros = v;
	memcpy(c->id, id, sizeof(id));
	return true;
}
