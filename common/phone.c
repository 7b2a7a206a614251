/* Phone numbers: E.164 normalization (Italian defaults) and redaction. */
#include "phone.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Keeps digits, drops the separators people type; rejects anything else. */
static int strip_number(const char *in, char *digits, size_t cap, int *plus)
{
	size_t n = 0;

	*plus = 0;
	while (isspace((unsigned char)*in))
		in++;
	if (*in == '+') {
		*plus = 1;
		in++;
	}
	for (; *in != '\0'; in++) {
		unsigned char c = (unsigned char)*in;
		if (isdigit(c)) {
			if (n + 1 >= cap)
				return -1;
			digits[n++] = (char)c;
		} else if (!(c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' ||
		             c == ')' || c == '\t')) {
			return -1;
		}
	}
	digits[n] = '\0';
	return (int)n;
}

int phone_normalize(const char *in, char out[PHONE_MAX])
{
	char d[32];
	const char *cc = "";
	int plus, n = strip_number(in, d, sizeof(d), &plus);
	const char *num = d;

	if (n <= 0)
		return -1;
	if (!plus && strncmp(d, "00", 2) == 0) {
		num += 2;               /* 0039...: international prefix */
	} else if (!plus && d[0] == '3' && n >= 9 && n <= 10) {
		cc = "39";              /* Italian mobile written nationally */
	} else if (!plus && d[0] == '0' && n >= 6 && n <= 11) {
		cc = "39";              /* Italian landline keeps its 0 */
	}
	size_t total = strlen(cc) + strlen(num);
	if (total < 8 || total > 15 || (num[0] == '0' && *cc == '\0'))
		return -1;
	snprintf(out, PHONE_MAX, "+%s%s", cc, num);
	return 0;
}

const char *phone_digits(const char *e164)
{
	return e164[0] == '+' ? e164 + 1 : e164;
}

const char *phone_redact(const char *addr, char out[PHONE_MAX + 4])
{
	size_t n = strlen(addr), keep = addr[0] == '+' ? 3 : 0, i;

	if (n <= keep + 2) {
		snprintf(out, PHONE_MAX + 4, "***");
		return out;
	}
	if (n > PHONE_MAX + 2)
		n = PHONE_MAX + 2;
	for (i = 0; i < n; i++)
		out[i] = (i < keep || i + 2 >= n) ? addr[i] : '*';
	out[n] = '\0';
	return out;
}
