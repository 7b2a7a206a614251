/* Request ids; see request_id.h. */
#include "core/request_id.h"

#include <string.h>

#include "crypto.h"

#define RID_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:"

bool rid_valid(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strlen(s);
	return n > 0 && n <= RID_MAX && strspn(s, RID_CHARS) == n;
}

void rid_choose(const char *incoming, char out[RID_MAX + 1])
{
	if (rid_valid(incoming)) {
		memcpy(out, incoming, strlen(incoming) + 1);
		return;
	}
	random_hex(out, 16);
}
