/* The archive's Atom feed (RFC 4287): XML-escaped, one entry per sent notice. */
#include "archive/archive_render.h"

#include <stdio.h>
#include <stdlib.h>

#include "escape.h"

/* Writes s XML-escaped. */
static void put(FILE *f, const char *s)
{
	char *e = esc_text(s, ESC_XML);

	fputs(e, f);
	free(e);
}

/* One <entry>. */
static void entry(FILE *f, const struct archive_page *pg, const struct archive_item *it)
{
	fputs("<entry>\n<id>urn:uuid:", f);
	put(f, it->id);
	fputs("</id>\n<title>", f);
	if (it->urgent)
		fputs("[Urgente] ", f);
	put(f, it->title);
	fputs("</title>\n<updated>", f);
	put(f, it->sent_iso);
	fputs("</updated>\n<published>", f);
	put(f, it->sent_iso);
	fputs("</published>\n<link rel=\"alternate\" type=\"text/html\" href=\"", f);
	put(f, pg->base_url);
	fputs("/", f);
	put(f, it->id);
	fputs("\"/>\n<content type=\"text\">", f);
	put(f, it->body);
	fputs("</content>\n</entry>\n", f);
}

char *archive_atom(const struct archive_page *pg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"it\">\n<id>", f);
	put(f, pg->base_url);
	fputs("</id>\n<title>Avvisi – ", f);
	put(f, pg->comune_name);
	fputs("</title>\n<updated>", f);
	/* The newest entry's time; a fixed instant for an empty feed. */
	put(f, pg->nitems > 0 ? pg->items[0].sent_iso : "1970-01-01T00:00:00Z");
	fputs("</updated>\n<author><name>", f);
	put(f, pg->comune_name);
	fputs("</name></author>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"", f);
	put(f, pg->base_url);
	fputs(".atom\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"", f);
	put(f, pg->base_url);
	fputs("\"/>\n", f);
	for (size_t i = 0; i < pg->nitems; i++)
		entry(f, pg, &pg->items[i]);
	fputs("</feed>\n", f);
	fclose(f);
	return out;
}
