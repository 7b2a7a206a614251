/* Fuzz target: E.164 normalisation and redaction (phone.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[PHONE_MAX], again[PHONE_MAX], red[PHONE_MAX + 4];
	char *in = malloc(size + 1);

	memcpy(in, data, size);
	in[size] = '\0';
	if (phone_normalize(in, out) == 0) {
		/* A normalised number is a fixed point and redacts without its middle. */
		if (phone_normalize(out, again) != 0 || strcmp(out, again) != 0)
			__builtin_trap();
		(void)phone_digits(out);
		(void)phone_redact(out, red);
	}
	(void)phone_redact(in, red);
	free(in);
	return 0;
}
