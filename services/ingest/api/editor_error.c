/* Filling the editors' API 400 (editor_error.h). */
#include "api/editor_error.h"

#include <stdarg.h>

#include "utf8.h"

int editor_invalid(struct editor_error *err, const char *field, const char *fmt, ...)
{
	va_list ap;

	(void)utf8_truncate(err->field, sizeof(err->field), field, false);   /* may be err->field */
	va_start(ap, fmt);
	utf8_vformat(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}
