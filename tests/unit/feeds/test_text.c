/*
 * The Italian words of drafted notices: colour and event in the title,
 * areas, the period in Italian time (winter and summer), instruction and
 * source in the body; follow-ups and closings; limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <libxml/parser.h>

#include "cap_sample.h"
#include "text.h"
#include "utf8.h"

static struct cap_schema *schema;
static struct cap_alert orange;

static int setup(void **state)
{
	size_t len;
	char *xml, why[300];

	(void)state;
	schema = cap_schema_load(SCHEMA);
	xml = sample_read("orange-alert.xml", &len);
	if (schema == NULL || xml == NULL || cap_parse(schema, xml, len, &orange, why, 300) != 0)
		return 1;
	free(xml);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cap_alert_free(&orange);
	cap_schema_free(schema);
	xmlCleanupParser();
	return 0;
}

static void test_colour(void **state)
{
	(void)state;
	assert_string_equal(text_colour("Moderate"), "gialla");
	assert_string_equal(text_colour("Severe"), "arancione");
	assert_string_equal(text_colour("Extreme"), "rossa");
	assert_null(text_colour("Minor"));
	assert_null(text_colour("Unknown"));
}

/* MeteoAlarm's awareness level wins over the severity; green is no colour. */
static void test_awareness(void **state)
{
	struct cap_info info = *cap_info_pick(&orange);

	(void)state;
	assert_string_equal(info.awareness, "3; orange; Severe");
	assert_string_equal(text_colour_of(&info), "arancione");
	info.awareness = "4; red; Extreme";
	assert_string_equal(text_colour_of(&info), "rossa");
	info.awareness = "2;Yellow";
	assert_string_equal(text_colour_of(&info), "gialla");
	info.awareness = "1; green; Minor";
	info.severity = "Minor";
	assert_null(text_colour_of(&info));
	info.awareness = "";
	info.severity = "Extreme";
	assert_string_equal(text_colour_of(&info), "rossa");
}

static void test_rome_time(void **state)
{
	char out[64];

	(void)state;
	/* Winter: UTC+1. 2026-12-03T11:00Z is Thursday 12:00 in Rome. */
	text_rome(1796295600, out);
	assert_string_equal(out, "giovedì 3 dicembre, ore 12:00");
	/* Summer: UTC+2. 2026-07-01T00:30Z is Wednesday 02:30. */
	text_rome(1782865800, out);
	assert_string_equal(out, "mercoledì 1 luglio, ore 02:30");
	/* The changes: 29 March 2026 01:00 UTC, 25 October 2026 01:00 UTC. */
	assert_int_equal(text_rome_offset(1774746000 - 1), 3600);
	assert_int_equal(text_rome_offset(1774746000), 7200);
	assert_int_equal(text_rome_offset(1792890000 - 1), 7200);
	assert_int_equal(text_rome_offset(1792890000), 3600);
}

static void test_alert(void **state)
{
	const char *areas[] = { "Pianura torinese", "Valli di Lanzo" };
	struct text_in in = { TEXT_ALERT, cap_info_pick(&orange), areas, 2 };
	char *title, *body;

	(void)state;
	text_render(&in, &title, &body);
	assert_string_equal(title, "Allerta arancione: Temporali");
	assert_string_equal(body,
	                    "Allerta arancione per temporali\n\n"
	                    "Zone interessate: Pianura torinese e Valli di Lanzo.\n"
	                    "Validità: da giovedì 3 dicembre, ore 12:00 a venerdì 4 dicembre, "
	                    "ore 00:00 (ora italiana).\n"
	                    "\nTemporali forti con grandine e raffiche di vento.\n"
	                    "\nCosa fare: Evitare sottopassi e argini dei fiumi.\n"
	                    "\nFonte: Arpa Piemonte.");
	free(title);
	free(body);
	in.kind = TEXT_FOLLOWUP;
	in.nareas = 1;
	text_render(&in, &title, &body);
	assert_string_equal(title, "Aggiornamento allerta arancione: Temporali");
	assert_non_null(strstr(body, "Zone interessate: Pianura torinese.\n"));
	free(title);
	free(body);
}

static void test_closing(void **state)
{
	const char *areas[] = { "Pianura torinese" };
	struct text_in in = { TEXT_CANCELLED, cap_info_pick(&orange), areas, 1 };
	char *title, *body;

	(void)state;
	text_render(&in, &title, &body);
	assert_string_equal(title, "Allerta cessata: Temporali");
	assert_string_equal(body, "L'allerta arancione per Temporali su Pianura torinese è stata "
	                          "revocata (Arpa Piemonte).");
	free(title);
	free(body);
	in.kind = TEXT_EXPIRED;
	in.nareas = 0;
	text_render(&in, &title, &body);
	assert_string_equal(body, "L'allerta arancione per Temporali è terminata (Arpa Piemonte).");
	free(title);
	free(body);
}

/* Not a colour, no areas, no times: still sensible. Long texts are cut. */
static void test_plain_and_long(void **state)
{
	struct cap_info info = *cap_info_pick(&orange);
	char event[400], descr[5000], *title, *body;
	struct text_in in = { TEXT_ALERT, &info, NULL, 0 };

	(void)state;
	info.severity = "Minor";
	info.awareness = "";
	info.onset = info.effective = info.expires = info.headline = info.sender_name = "";
	info.description = info.instruction = "";
	text_render(&in, &title, &body);
	assert_string_equal(title, "Avviso di protezione civile: Temporali");
	assert_string_equal(body, "");
	free(title);
	free(body);
	memset(event, 'e', sizeof(event) - 1);
	event[sizeof(event) - 1] = '\0';
	memset(descr, 'd', sizeof(descr) - 1);
	descr[sizeof(descr) - 1] = '\0';
	info.event = event;
	info.description = descr;
	text_render(&in, &title, &body);
	assert_true(utf8_chars(title) <= TEXT_TITLE_MAX);
	assert_true(strlen(body) <= TEXT_BODY_MAX);
	assert_true(utf8_valid_str(body));
	free(title);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_colour),  cmocka_unit_test(test_awareness),
		cmocka_unit_test(test_rome_time),
		cmocka_unit_test(test_alert),   cmocka_unit_test(test_closing),
		cmocka_unit_test(test_plain_and_long),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
