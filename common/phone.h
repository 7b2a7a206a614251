/* Phone numbers: E.164 normalization and redaction for logs. */
#ifndef BND_PHONE_H
#define BND_PHONE_H

#include <stddef.h>

#define PHONE_MAX 20   /* "+" + at most 15 digits + NUL, rounded up */

/*
 * Normalizes a number as typed or as WhatsApp sends it ("393331234567",
 * "+39 333 123 4567", "0039-333...", "333 1234567" = Italian mobile) to
 * E.164 "+393331234567". Returns 0, or -1 if it cannot be a number.
 */
int phone_normalize(const char *in, char out[PHONE_MAX])
    __attribute__((warn_unused_result));
/* Digits only, as the WhatsApp API's "to" wants: "+39333..." -> "39333...". */
const char *phone_digits(const char *e164);
/* For logs: keeps the country prefix and last two digits ("+39*******67"). */
const char *phone_redact(const char *addr, char out[PHONE_MAX + 4]);

#endif
