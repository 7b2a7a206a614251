/*
 * The public archive's documents: the HTML list page, the HTML page of
 * one notice and the Atom feed. Pure functions over rows read from
 * PostgreSQL; every text from the database goes through esc_text().
 */
#ifndef BND_ARCHIVE_RENDER_H
#define BND_ARCHIVE_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#define ARCHIVE_PAGE_SIZE 20
#define ARCHIVE_FEED_SIZE 50
#define ARCHIVE_EXCERPT_MAX 280   /* characters of the body on the list page */

/* One sent notice. */
struct archive_item {
	char id[40];
	char *title;
	char *body;
	bool  urgent;
	char  sent_iso[40];     /* 2026-11-23T10:00:00Z */
	char  sent_local[40];   /* 23/11/2026 11:00, the comune's time */
};

/* A page of the archive (or the feed's entries). */
struct archive_page {
	char comune_id[64];
	char *comune_name;
	char *base_url;          /* absolute URL of /c/<comune>/avvisi */
	int   page;              /* 1-based */
	bool  has_next;
	struct archive_item *items;
	size_t nitems;
};

/* The list page, newest first, with links to older/newer pages. Caller frees. */
char *archive_html_list(const struct archive_page *pg);
/* One notice in full. Caller frees. */
char *archive_html_notice(const struct archive_page *pg, const struct archive_item *it);
/* The Atom feed of the page's items. Caller frees. */
char *archive_atom(const struct archive_page *pg);
/* s cut to at most max characters on a character boundary, "…" added
 * when cut. Caller frees. */
char *archive_excerpt(const char *s, size_t max);
void archive_page_free(struct archive_page *pg);

#endif
