/*
 * CAP documents: the samples pass the schema and are read right (several
 * infos, Italian chosen, areas, references, times); what is not CAP is
 * refused with a reason; Atom feeds give their entries' links.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <libxml/parser.h>

#include "cap.h"
#include "cap_sample.h"

static struct cap_schema *schema;

static int setup(void **state)
{
	(void)state;
	schema = cap_schema_load(SCHEMA);
	return schema == NULL;
}

static int teardown(void **state)
{
	(void)state;
	cap_schema_free(schema);
	xmlCleanupParser();
	return 0;
}

/* Parses a sample: the result of cap_parse, why filled. */
static int parse(const char *name, struct cap_alert *a, char why[300])
{
	size_t len;
	char *xml = sample_read(name, &len);
	int rc;

	assert_non_null(xml);
	rc = cap_parse(schema, xml, len, a, why, 300);
	free(xml);
	return rc;
}

static void test_alert(void **state)
{
	struct cap_alert a;
	char why[300];
	const struct cap_info *in;

	(void)state;
	assert_int_equal(parse("orange-alert.xml", &a, why), 0);
	assert_string_equal(a.identifier, "IT-PIEM-2026-1203-0001");
	assert_string_equal(a.sender, "allerta@arpa.piemonte.example");
	assert_string_equal(a.sent, "2026-12-03T06:00:00+01:00");
	assert_string_equal(a.status, "Actual");
	assert_string_equal(a.msg_type, "Alert");
	assert_string_equal(a.references, "");
	assert_int_equal(a.ninfos, 2);
	in = cap_info_pick(&a);
	assert_ptr_equal(in, &a.infos[1]);                       /* Italian, though second */
	assert_string_equal(in->event, "Temporali");
	assert_string_equal(in->severity, "Severe");
	assert_string_equal(in->instruction, "Evitare sottopassi e argini dei fiumi.");
	assert_int_equal(in->nareas, 2);
	assert_string_equal(in->areas[0].desc, "Pianura torinese");
	assert_int_equal(in->areas[0].npolygons, 1);
	assert_int_equal(in->areas[0].polygons[0].n, 5);
	assert_int_equal(in->areas[1].ngeocodes, 2);
	assert_string_equal(in->areas[1].geocodes[0].name, "EMMA_ID");
	assert_string_equal(in->areas[1].geocodes[0].value, "IT-PIEM-B");
	/* 2026-12-03T12:00:00+01:00 = 11:00 UTC */
	assert_int_equal((long long)cap_time(in->onset), 1796295600LL);
	cap_alert_free(&a);
}

static void test_update_cancel(void **state)
{
	struct cap_alert a;
	char why[300], s[256], id[256], sent[64];
	size_t pos = 0;

	(void)state;
	assert_int_equal(parse("orange-update.xml", &a, why), 0);
	assert_string_equal(a.msg_type, "Update");
	assert_int_equal(cap_reference_next(a.references, &pos, s, id, sent, 256), 1);
	assert_string_equal(s, "allerta@arpa.piemonte.example");
	assert_string_equal(id, "IT-PIEM-2026-1203-0001");
	assert_string_equal(sent, "2026-12-03T06:00:00+01:00");
	assert_int_equal(cap_reference_next(a.references, &pos, s, id, sent, 256), 0);
	cap_alert_free(&a);
	pos = 0;
	assert_int_equal(parse("orange-cancel.xml", &a, why), 0);
	assert_string_equal(a.msg_type, "Cancel");
	assert_int_equal(cap_reference_next(a.references, &pos, s, id, sent, 256), 1);
	assert_int_equal(cap_reference_next(a.references, &pos, s, id, sent, 256), 1);
	assert_string_equal(id, "IT-PIEM-2026-1203-0002");
	assert_string_equal(sent, "2026-12-03T09:00:00+01:00");
	assert_int_equal(cap_reference_next(a.references, &pos, s, id, sent, 256), 0);
	cap_alert_free(&a);
}

static void test_others(void **state)
{
	struct cap_alert a;
	char why[300];

	(void)state;
	assert_int_equal(parse("test-status.xml", &a, why), 0);
	assert_string_equal(a.status, "Test");
	cap_alert_free(&a);
	assert_int_equal(parse("neighbour.xml", &a, why), 0);
	assert_int_equal(a.infos[0].areas[0].ncircles, 1);
	assert_true(a.infos[0].areas[0].circles[0].radius_km == 25);
	cap_alert_free(&a);
}

static void test_refused(void **state)
{
	struct cap_alert a;
	char why[300];
	static const char not_cap[] = "<alert xmlns=\"urn:example\"><identifier>x</identifier></alert>";
	static const char bad_polygon[] =
	    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x</identifier>"
	    "<sender>s</sender><sent>2026-12-03T06:00:00+01:00</sent><status>Actual</status>"
	    "<msgType>Alert</msgType><scope>Public</scope><info><category>Met</category>"
	    "<event>e</event><urgency>Expected</urgency><severity>Severe</severity>"
	    "<certainty>Likely</certainty><area><areaDesc>a</areaDesc>"
	    "<polygon>1,2 3,4</polygon></area></info></alert>";

	(void)state;
	assert_int_equal(parse("malformed.xml", &a, why), -1);
	assert_non_null(strstr(why, "not well-formed"));
	assert_int_equal(parse("invalid-cap.xml", &a, why), -1);
	assert_non_null(strstr(why, "line"));                    /* the schema's complaint */
	assert_int_equal(parse("atom.xml", &a, why), -1);
	assert_int_equal(cap_parse(schema, not_cap, strlen(not_cap), &a, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not a CAP 1.2 alert"));
	assert_int_equal(cap_parse(schema, bad_polygon, strlen(bad_polygon), &a, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "bad polygon"));
	assert_int_equal(cap_parse(schema, "", 0, &a, why, sizeof(why)), -1);
}

static void test_atom(void **state)
{
	size_t len;
	char *xml = sample_read("atom.xml", &len), **links;

	(void)state;
	assert_int_equal(cap_atom_links(xml, len, &links), 2);
	assert_string_equal(links[0], "orange-alert.xml");     /* the cap+xml one, not the first */
	assert_string_equal(links[1], "https://feeds.example/it/neighbour.xml");
	free(links[0]);
	free(links[1]);
	free(links);
	free(xml);
	xml = sample_read("orange-alert.xml", &len);
	assert_int_equal(cap_atom_links(xml, len, &links), -1);
	free(xml);
}

static void test_helpers(void **state)
{
	(void)state;
	assert_int_equal(cap_severity_rank("Minor"), 1);
	assert_int_equal(cap_severity_rank("Extreme"), 4);
	assert_int_equal(cap_severity_rank("Unknown"), 0);
	assert_int_equal((long long)cap_time("2026-07-01T00:00:00-02:30"), 1782873000LL);
	assert_int_equal((long long)cap_time("2026-07-01T00:00:00Z"), 0);
	assert_int_equal((long long)cap_time(""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alert),   cmocka_unit_test(test_update_cancel),
		cmocka_unit_test(test_others),  cmocka_unit_test(test_refused),
		cmocka_unit_test(test_atom),    cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
