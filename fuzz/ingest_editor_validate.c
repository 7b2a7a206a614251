/* Fuzz target: the editors' notice validation (editor_notice_parse). */
#include <stdint.h>

#include "api/editor_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notice_input in;
	struct editor_error err;

	if (editor_notice_parse(data, size, &in, &err) == 0)
		editor_notice_free(&in);
	return 0;
}
