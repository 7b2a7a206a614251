/* X-Hub-Signature-256 parsing and checking (wa_verify.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "webhooks/wa_verify.h"

/* A Cloud API body and its signature, computed independently with
 * openssl dgst -sha256 -hmac 'demo-app-secret'. */
static const char BODY[] =
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
    "\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
    "{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"100000000000001\"},"
    "\"messages\":[{\"from\":\"393331234567\",\"id\":\"wamid.HBgLMzkzMzMxMjM0NTY3FQIAEhggQTNGQjQ2\","
    "\"timestamp\":\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"Attiva\"}}]},"
    "\"field\":\"messages\"}]}]}";
static const char SECRET[] = "demo-app-secret";
static const char GOOD[] =
    "sha256=dea984a12c89ee9f009ab05d49c022b3160076afa725757ff121f407a0318d95";

/* RFC 4231 test case 2. */
static const char RFC_SIG[] =
    "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

static enum wa_sig check(const char *header, const char *secret, const char *body,
                         size_t len)
{
	return wa_signature_check(header, secret, strlen(secret), body, len);
}

static void test_good_signature(void **state)
{
	(void)state;
	assert_int_equal(check(GOOD, SECRET, BODY, strlen(BODY)), WA_SIG_OK);
	assert_int_equal(check(RFC_SIG, "Jefe", "what do ya want for nothing?", 28), WA_SIG_OK);
}

static void test_wrong_secret(void **state)
{
	(void)state;
	assert_int_equal(check(GOOD, "demo-app-secreT", BODY, strlen(BODY)), WA_SIG_MISMATCH);
	assert_int_equal(check(GOOD, "demo-app-secret ", BODY, strlen(BODY)), WA_SIG_MISMATCH);
}

static void test_flipped_body_byte(void **state)
{
	char body[sizeof(BODY)];
	(void)state;

	memcpy(body, BODY, sizeof(BODY));
	/* "Attiva" -> "Attivb": a one-bit change the re-serialized JSON would hide. */
	char *p = strstr(body, "Attiva");
	assert_non_null(p);
	p[5] ^= 0x03;
	assert_int_equal(check(GOOD, SECRET, body, strlen(body)), WA_SIG_MISMATCH);
	/* The body is exactly len bytes: one byte less does not verify either. */
	assert_int_equal(check(GOOD, SECRET, BODY, strlen(BODY) - 1), WA_SIG_MISMATCH);
}

static void test_flipped_signature_digit(void **state)
{
	char header[sizeof(GOOD)];
	(void)state;

	memcpy(header, GOOD, sizeof(GOOD));
	header[sizeof(GOOD) - 2] = header[sizeof(GOOD) - 2] == '5' ? '4' : '5';
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MISMATCH);
	memcpy(header, GOOD, sizeof(GOOD));
	header[7] = header[7] == 'd' ? 'e' : 'd';
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MISMATCH);
}

static void test_missing_header(void **state)
{
	char hex[SHA256_HEX_LEN + 1];
	(void)state;

	assert_int_equal(wa_signature_parse(NULL, hex), WA_SIG_MISSING);
	assert_string_equal(hex, "");
	assert_int_equal(check(NULL, SECRET, BODY, strlen(BODY)), WA_SIG_MISSING);
	assert_string_equal(wa_sig_name(WA_SIG_MISSING), "missing");
}

static void test_short_and_long_header(void **state)
{
	char header[sizeof(GOOD) + 1];
	(void)state;

	memcpy(header, GOOD, sizeof(GOOD));
	header[sizeof(GOOD) - 2] = '\0';   /* 63 hex digits */
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
	snprintf(header, sizeof(header), "%s0", GOOD);   /* 65 */
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
	assert_int_equal(check("sha256=", SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
	assert_int_equal(check("", SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
	assert_int_equal(check(GOOD + 7, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
	assert_string_equal(wa_sig_name(WA_SIG_MALFORMED), "malformed");
}

static void test_uppercase_hex(void **state)
{
	char header[sizeof(GOOD)], hex[SHA256_HEX_LEN + 1];
	(void)state;

	/* Hex digits in upper case are the same digest: accepted, normalized. */
	memcpy(header, GOOD, sizeof(GOOD));
	for (char *p = header + 7; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	assert_int_equal(wa_signature_parse(header, hex), WA_SIG_OK);
	assert_string_equal(hex, GOOD + 7);
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_OK);
	/* The prefix is not case-insensitive. */
	header[0] = 'S';
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
}

static void test_other_prefixes(void **state)
{
	char header[128];
	(void)state;

	snprintf(header, sizeof(header), "sha1=%s", GOOD + 7);
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
	/* The legacy X-Hub-Signature form: sha1 with 40 digits. */
	assert_int_equal(check("sha1=0123456789abcdef0123456789abcdef01234567", SECRET, BODY,
	                       strlen(BODY)), WA_SIG_MALFORMED);
	snprintf(header, sizeof(header), " %s", GOOD);
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
	snprintf(header, sizeof(header), "sha256:%s", GOOD + 7);
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
}

static void test_non_hex_digit(void **state)
{
	char header[sizeof(GOOD)];
	(void)state;

	memcpy(header, GOOD, sizeof(GOOD));
	header[20] = 'g';
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
	header[20] = ' ';
	assert_int_equal(check(header, SECRET, BODY, strlen(BODY)), WA_SIG_MALFORMED);
}

static void test_empty_secret_never_matches(void **state)
{
	char hex[SHA256_HEX_LEN + 1], header[80];
	(void)state;

	/* Anyone can compute the HMAC under an empty key. */
	hmac_sha256_hex("", 0, BODY, strlen(BODY), hex);
	snprintf(header, sizeof(header), "sha256=%s", hex);
	assert_int_equal(wa_signature_check(header, "", 0, BODY, strlen(BODY)), WA_SIG_MISMATCH);
	assert_false(wa_signature_matches(hex, NULL, 0, BODY, strlen(BODY)));
	assert_string_equal(wa_sig_name(WA_SIG_MISMATCH), "mismatch");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_signature),
		cmocka_unit_test(test_wrong_secret),
		cmocka_unit_test(test_flipped_body_byte),
		cmocka_unit_test(test_flipped_signature_digit),
		cmocka_unit_test(test_missing_header),
		cmocka_unit_test(test_short_and_long_header),
		cmocka_unit_test(test_uppercase_hex),
		cmocka_unit_test(test_other_prefixes),
		cmocka_unit_test(test_non_hex_digit),
		cmocka_unit_test(test_empty_secret_never_matches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
