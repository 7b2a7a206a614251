/*
 * Fuzz target: CAP documents as banditore-feeds reads them (cap.c with the
 * schema, Atom links), which areas concern a comune (match.c) and the
 * Italian text drafted from them (text.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cap.h"
#include "match.h"
#include "text.h"
#include "utf8.h"

static struct cap_schema *schema;

/* Areas of every info against a comune with codes and a centroid; the
 * text drafted from the chosen one is valid UTF-8 within its limits. */
static void check(const struct cap_alert *a)
{
	static const char *const codes[] = { "IT-PIEM-B", "ISTAT=001130" };
	struct place p = { "x", codes, 2, true, { 45.0703, 7.6869 } };
	const struct cap_info *in = cap_info_pick(a);
	const char *names[8];
	size_t n = 0;
	char *title, *body;

	for (size_t i = 0; i < a->ninfos; i++)
		n = match_info(&a->infos[i], &p, names, 8);
	if (in == NULL)
		return;
	n = match_info(in, &p, names, 8);
	for (int k = TEXT_ALERT; k <= TEXT_EXPIRED; k++) {
		struct text_in ti = { (enum text_kind)k, in, names, n < 8 ? n : 8 };
		text_render(&ti, &title, &body);
		if (!utf8_valid_str(title) || !utf8_valid_str(body) || strlen(body) > TEXT_BODY_MAX ||
		    utf8_chars(title) > TEXT_TITLE_MAX)
			__builtin_trap();
		free(title);
		free(body);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cap_alert a;
	char why[300], **links;
	int n;

	if (schema == NULL)
		schema = cap_schema_load("services/feeds/cap-1.2.xsd");
	if (schema == NULL)
		__builtin_trap();
	if (cap_parse(schema, (const char *)data, size, &a, why, sizeof(why)) == 0) {
		check(&a);
		cap_alert_free(&a);
	}
	n = cap_atom_links((const char *)data, size, &links);
	for (int i = 0; i < n; i++)
		free(links[i]);
	if (n >= 0)
		free(links);
	return 0;
}
