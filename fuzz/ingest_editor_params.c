/*
 * Fuzz target: the bodies of workflow actions (editor_action_parse, with
 * RFC 3339 times) and notice ids (uuid_parse, common/crypto.c). The first byte
 * says which fields are required.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/editor_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct action_input in;
	struct editor_error err;
	char id[UUID_STR_LEN + 1], *s;

	if (size == 0)
		return 0;
	if (editor_action_parse(data + 1, size - 1, data[0] & 1, data[0] & 2, 1764000000000LL,
	                        &in, &err) == 0 && in.version < 0)
		__builtin_trap();
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (uuid_parse(s, id) && strlen(id) != UUID_STR_LEN)
		__builtin_trap();
	free(s);
	return 0;
}
