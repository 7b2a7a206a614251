/* The archive's HTML pages (Italian, no script, everything escaped). */
#include "archive/archive_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "utf8.h"
#include "xmalloc.h"
#include "core/public_style.h"

static const char STYLE[] =
    PUBLIC_STYLE "body{max-width:44em;margin:1em auto;padding:0 1em;"
    "line-height:1.5;color:#1a1a1a}article{border-bottom:1px solid #ccc;padding:.5em 0}"
    ".urgente{color:#a00;font-weight:bold}.testo{white-space:pre-line}";

char *archive_excerpt(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, i = 0, len = strlen(s);
	char *out;

	while (i < len && chars < max) {
		size_t n = utf8_seq(p + i, len - i);
		i += n != 0 ? n : 1;
		chars++;
	}
	if (i == len)
		return xstrdup(s);
	out = xmalloc(i + sizeof(UTF8_ELLIPSIS));
	memcpy(out, s, i);
	memcpy(out + i, UTF8_ELLIPSIS, sizeof(UTF8_ELLIPSIS));
	return out;
}

/* Writes s escaped. */
static void put(FILE *f, const char *s)
{
	char *e = esc_text(s, ESC_HTML);

	fputs(e, f);
	free(e);
}

/* <!DOCTYPE> to <body>, titled "title" (plain text). */
static void head(FILE *f, const struct archive_page *pg, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	put(f, title);
	fputs(" – ", f);
	put(f, pg->comune_name);
	fprintf(f, "</title>\n<style>%s</style>\n<link rel=\"alternate\" "
	        "type=\"application/atom+xml\" title=\"Avvisi\" href=\"", STYLE);
	put(f, pg->base_url);
	fputs(".atom\">\n</head>\n<body>\n", f);
}

/* The date line of a notice. */
static void when(FILE *f, const struct archive_item *it)
{
	fputs("<p><time datetime=\"", f);
	put(f, it->sent_iso);
	fputs("\">", f);
	put(f, it->sent_local);
	fputs("</time>", f);
	if (it->urgent)
		fputs(" · <span class=\"urgente\">Urgente</span>", f);
	fputs("</p>\n", f);
}

/* An href to the archive page number n. */
static void page_link(FILE *f, const struct archive_page *pg, int n, const char *label)
{
	fputs("<a href=\"", f);
	put(f, pg->base_url);
	fprintf(f, "?pagina=%d\">%s</a>\n", n, label);
}

char *archive_html_list(const struct archive_page *pg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	head(f, pg, "Avvisi");
	fputs("<header>\n<h1>Avvisi – ", f);
	put(f, pg->comune_name);
	fputs("</h1>\n<p>Gli avvisi inviati dal Comune ai cittadini iscritti, dal più recente. "
	      "<a href=\"", f);
	put(f, pg->base_url);
	fputs(".atom\">Feed Atom</a></p>\n</header>\n<main>\n", f);
	if (pg->nitems == 0)
		fputs("<p>Nessun avviso in questa pagina.</p>\n", f);
	for (size_t i = 0; i < pg->nitems; i++) {
		const struct archive_item *it = &pg->items[i];
		char *ex = archive_excerpt(it->body, ARCHIVE_EXCERPT_MAX);

		fputs("<article>\n<h2><a href=\"", f);
		put(f, pg->base_url);
		fputs("/", f);
		put(f, it->id);
		fputs("\">", f);
		put(f, it->title);
		fputs("</a></h2>\n", f);
		when(f, it);
		fputs("<p class=\"testo\">", f);
		put(f, ex);
		fputs("</p>\n</article>\n", f);
		free(ex);
	}
	fprintf(f, "</main>\n<nav>\n<p>Pagina %d</p>\n", pg->page);
	if (pg->page > 1)
		page_link(f, pg, pg->page - 1, "Avvisi più recenti");
	if (pg->has_next)
		page_link(f, pg, pg->page + 1, "Avvisi precedenti");
	fputs("</nav>\n</body>\n</html>\n", f);
	fclose(f);
	return out;
}

char *archive_html_notice(const struct archive_page *pg, const struct archive_item *it)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	head(f, pg, it->title);
	fputs("<main>\n<article>\n<h1>", f);
	put(f, it->title);
	fputs("</h1>\n", f);
	when(f, it);
	fputs("<p class=\"testo\">", f);
	put(f, it->body);
	fputs("</p>\n</article>\n</main>\n<nav><p><a href=\"", f);
	put(f, pg->base_url);
	fputs("\">Tutti gli avvisi</a></p></nav>\n</body>\n</html>\n", f);
	fclose(f);
	return out;
}

void archive_page_free(struct archive_page *pg)
{
	for (size_t i = 0; i < pg->nitems; i++) {
		free(pg->items[i].title);
		free(pg->items[i].body);
	}
	free(pg->items);
	free(pg->comune_name);
	free(pg->base_url);
	memset(pg, 0, sizeof(*pg));
}
