/*
 * Fuzz target: keyword folding and parsing (kw_fold, kw_parse) with a
 * comune's own lists and topics, and the default lists.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keywords.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kw_topic topics[] = {
		{ "viabilita", "STRADE" }, { "acqua", "ACQUA" }, { "meteo", "Allerta Meteo" },
	};
	static const struct kw_lists lists = { "ATTIVA ISCRIVIMI", "BASTA STOP", "TEMI", "AIUTO" };
	struct kw_command cmd;
	char folded[64], *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	kw_fold(text, folded, sizeof(folded));
	kw_parse(text, &lists, topics, 3, &cmd);
	if (cmd.ntopics > KW_MAX_TOPICS)
		__builtin_trap();
	kw_parse(text, NULL, NULL, 0, &cmd);
	(void)kw_match(text);
	free(text);
	return 0;
}
