/*
 * Which comuni an alert's areas concern: by geocode (any name, or one
 * name), by centroid in a polygon or a circle; a neighbouring region's
 * alert concerns none of ours.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <libxml/parser.h>

#include "cap_sample.h"
#include "match.h"

static struct cap_schema *schema;
static struct cap_alert orange, neighbour;

static void load(const char *name, struct cap_alert *a)
{
	size_t len;
	char *xml = sample_read(name, &len), why[300];

	assert_non_null(xml);
	assert_int_equal(cap_parse(schema, xml, len, a, why, sizeof(why)), 0);
	free(xml);
}

static int setup(void **state)
{
	(void)state;
	schema = cap_schema_load(SCHEMA);
	if (schema == NULL)
		return 1;
	load("orange-alert.xml", &orange);
	load("neighbour.xml", &neighbour);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cap_alert_free(&orange);
	cap_alert_free(&neighbour);
	cap_schema_free(schema);
	xmlCleanupParser();
	return 0;
}

static void test_centroid(void **state)
{
	struct place torino = { "torino", NULL, 0, true, { 45.0703, 7.6869 } };
	struct place genova = { "genova", NULL, 0, true, { 44.4056, 8.9463 } };
	const char *names[4];

	(void)state;
	assert_int_equal(match_info(cap_info_pick(&orange), &torino, names, 4), 1);
	assert_string_equal(names[0], "Pianura torinese");
	assert_int_equal(match_info(cap_info_pick(&orange), &genova, names, 4), 0);
	/* The English info has the same polygon under its own name. */
	assert_int_equal(match_info(&orange.infos[0], &torino, names, 4), 1);
	assert_string_equal(names[0], "Turin plain");
}

static void test_geocodes(void **state)
{
	static const char *const any[] = { "it-piem-b" };
	static const char *const named[] = { "ISTAT=001130" };
	static const char *const wrong_name[] = { "EMMA_ID=001130" };
	struct place lanzo = { "lanzo", any, 1, false, { 0, 0 } };
	const char *names[4];

	(void)state;
	assert_int_equal(match_info(cap_info_pick(&orange), &lanzo, names, 4), 1);
	assert_string_equal(names[0], "Valli di Lanzo");
	lanzo.geocodes = named;
	assert_int_equal(match_info(cap_info_pick(&orange), &lanzo, names, 4), 1);
	lanzo.geocodes = wrong_name;
	assert_int_equal(match_info(cap_info_pick(&orange), &lanzo, names, 4), 0);
	/* Both ways at once: both areas, in the alert's order. */
	lanzo.geocodes = any;
	lanzo.has_centroid = true;
	lanzo.centroid = (struct geo_point){ 45.0, 7.5 };
	assert_int_equal(match_info(cap_info_pick(&orange), &lanzo, names, 4), 2);
	assert_string_equal(names[0], "Pianura torinese");
	assert_string_equal(names[1], "Valli di Lanzo");
	/* names holds what fits; the count is all of them. */
	assert_int_equal(match_info(cap_info_pick(&orange), &lanzo, names, 1), 2);
}

static void test_neighbour(void **state)
{
	static const char *const codes[] = { "IT-PIEM-B", "IT-LOMB-1" };
	struct place torino = { "torino", codes, 2, true, { 45.0703, 7.6869 } };
	struct place monza = { "monza", NULL, 0, true, { 45.5845, 9.2744 } };
	struct place nowhere = { "nowhere", NULL, 0, false, { 0, 0 } };
	const char *names[4];

	(void)state;
	assert_int_equal(match_info(cap_info_pick(&neighbour), &torino, names, 4), 0);
	assert_int_equal(match_info(cap_info_pick(&neighbour), &monza, names, 4), 1);
	assert_int_equal(match_info(cap_info_pick(&neighbour), &nowhere, names, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_centroid),
		cmocka_unit_test(test_geocodes),
		cmocka_unit_test(test_neighbour),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
