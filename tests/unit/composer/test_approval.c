/* The approval alert's words and link (approval.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "approval.h"

/* Who wrote it and that it waits; URGENTE when urgent. */
static void test_body(void **state)
{
	char out[300];

	(void)state;
	approval_body(out, sizeof(out), "Anna Rossi", 0, 1);
	assert_non_null(strstr(out, "Avviso scritto da Anna Rossi"));
	assert_non_null(strstr(out, "attende"));
	assert_null(strstr(out, "URGENTE"));
	approval_body(out, sizeof(out), "Anna Rossi", 1, 0);
	assert_non_null(strstr(out, "Avviso URGENTE scritto da Anna Rossi"));
	approval_body(out, sizeof(out), "", 0, 0);
	assert_non_null(strstr(out, "un redattore"));
}

/* A long author's name is cut between characters, never inside one. */
static void test_body_cut(void **state)
{
	char out[40], name[200];

	(void)state;
	for (size_t i = 0; i + 2 < sizeof(name); i += 2)
		memcpy(name + i, "\xc3\xa8", 2);   /* è */
	name[sizeof(name) - 2] = '\0';
	approval_body(out, sizeof(out), name, 0, 0);
	assert_true(strlen(out) < sizeof(out));
	assert_true(((unsigned char)out[strlen(out) - 1] & 0xc0) != 0xc0);
}

/* The console's "Da approvare" page, or no link. */
static void test_link(void **state)
{
	char *l;

	(void)state;
	l = approval_link("https://avvisi.example.it/console/");
	assert_string_equal(l, "https://avvisi.example.it/console/#/da-approvare");
	free(l);
	l = approval_link("");
	assert_string_equal(l, "");
	free(l);
	l = approval_link(NULL);
	assert_string_equal(l, "");
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_body_cut),
		cmocka_unit_test(test_link),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
