/* Fuzz target: request bodies with invalid UTF-8 named by field (jbody_load). */
#include <stdint.h>

#include "utf8.h"
#include "core/json_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char field[32], top[16];
	json_t *root;

	switch (jbody_load(data, size, 0, &root, field, sizeof(field), NULL)) {
	case JBODY_OK:
		json_decref(root);
		break;
	case JBODY_UTF8:
		if (!utf8_valid_str(field) || field[0] == '\0')
			__builtin_trap();   /* the field named must be printable text */
		jbody_top(field, top, sizeof(top));
		break;
	case JBODY_JSON:
		break;
	}
	return 0;
}
