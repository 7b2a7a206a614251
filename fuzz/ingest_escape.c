/*
 * Fuzz target: the escaper (common/escape.c, esc_text in every mode)
 * and ingest's archive pages and feed built from untrusted rows
 * (archive/archive_html.c, archive/archive_atom.c). The output must
 * always be valid UTF-8 and hold no raw '<' from the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "utf8.h"
#include "archive/archive_render.h"

/* Fails the run unless s is valid UTF-8; frees it. */
static void fuzz_check(char *s)
{
	if (!utf8_valid_str(s))
		__builtin_trap();
	free(s);
}

/* The archive documents of one notice whose title and body are text. */
static void fuzz_archive(char *text, size_t split)
{
	struct archive_item it = { .id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
		                   .sent_iso = "2026-11-23T10:00:00Z",
		                   .sent_local = "23/11/2026 11:00" };
	struct archive_page pg = { .comune_id = "demo", .page = 2, .has_next = true,
		                   .items = &it, .nitems = 1 };

	it.title = strndup(text, split);
	it.body = text + split;
	it.urgent = split & 1;
	pg.comune_name = it.title;
	pg.base_url = it.body;
	fuzz_check(archive_html_list(&pg));
	fuzz_check(archive_html_notice(&pg, &it));
	fuzz_check(archive_atom(&pg));
	if (utf8_valid_str(it.body))
		fuzz_check(archive_excerpt(it.body, split % 300));
	free(it.title);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum esc_mode modes[] = { ESC_HTML, ESC_XML, ESC_TELEGRAM };
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t m = 0; m < 3; m++) {
		char *e = esc_text(text, modes[m]);
		if (strchr(e, '<') != NULL)
			__builtin_trap();
		fuzz_check(e);
	}
	fuzz_archive(text, utf8_cut(text, strlen(text), strlen(text) / 2));
	free(text);
	return 0;
}
