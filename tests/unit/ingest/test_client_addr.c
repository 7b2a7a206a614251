/* Client addresses as the abuse controls count them (client_addr.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "core/client_addr.h"

static const struct {
	const char *in, *key;   /* key NULL: not an address */
} cases[] = {
	{ "198.51.100.7", "198.51.100.7" },
	{ "2001:db8:1:2::1", "2001:db8:1:2::/64" },
	{ "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64" },   /* the same /64 */
	{ "2001:DB8:1:3::1", "2001:db8:1:3::/64" },                    /* the next one */
	{ "::ffff:192.0.2.9", "192.0.2.9" },                           /* IPv4-mapped */
	{ "::1", "::/64" },
	{ "fe80::1:2:3:4", "fe80::/64" },
	{ "", NULL },
	{ "unknown", NULL },
	{ "198.51.100.7, 10.0.0.1", NULL },
	{ "2001:db8::1/64", NULL },
};

static void test_text(void **state)
{
	char key[CA_KEY_MAX];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = ca_key_text(cases[i].in, key);
		if (cases[i].key == NULL) {
			assert_int_equal(rc, -1);
			assert_string_equal(key, "");
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(key, cases[i].key);
		}
	}
}

static void test_sockaddr(void **state)
{
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	char key[CA_KEY_MAX];
	(void)state;

	assert_int_equal(inet_pton(AF_INET, "203.0.113.5", &s4.sin_addr), 1);
	assert_int_equal(ca_key_sockaddr((struct sockaddr *)&s4, sizeof(s4), key), 0);
	assert_string_equal(key, "203.0.113.5");
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:aa:bb:1::9", &s6.sin6_addr), 1);
	assert_int_equal(ca_key_sockaddr((struct sockaddr *)&s6, sizeof(s6), key), 0);
	assert_string_equal(key, "2001:db8:aa:bb::/64");
	/* A truncated length is refused, never read past. */
	assert_int_equal(ca_key_sockaddr((struct sockaddr *)&s6, sizeof(s4), key), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_sockaddr),
	};
	return cmocka_run_group_tests_name("client_addr", tests, NULL, NULL);
}
