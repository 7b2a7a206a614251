/*
 * The web sign-up form's HTML pages (Italian, accessible, every text
 * from the database escaped): the form itself, shown again with the
 * error when a submission is refused, and the "now confirm on WhatsApp"
 * page.
 */
#ifndef BND_FORM_PAGE_H
#define BND_FORM_PAGE_H

#include "core/form_comuni.h"

/* The form for comune c; error (may be NULL) is shown above it. Caller frees. */
char *form_page_form(const struct form_comune *c, const char *error);
/* What a citizen sees once the sign-up is accepted. Caller frees. */
char *form_page_sent(const struct form_comune *c);
/* A page for a comune that does not exist (or has no WhatsApp channel). Caller frees. */
char *form_page_not_found(void);

#endif
