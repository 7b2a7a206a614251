/*
 * Per-channel rendering of a notice. WhatsApp: notices go out as the
 * comune's approved utility template (they reach citizens outside the
 * 24-hour window), parameters {{1}} = title, {{2}} = body.
 */
#ifndef BND_RENDER_H
#define BND_RENDER_H

#include <stddef.h>

/* WhatsApp caps a template text parameter; we stay below it. */
#define RENDER_WA_PARAM_MAX 1000

/*
 * Copies at most max bytes of src into a new string without cutting a
 * UTF-8 sequence, ending with "…" when shortened. Caller frees.
 */
char *render_clip(const char *src, size_t max);
/* WhatsApp template parameters cannot hold newlines/tabs or 4+ spaces:
 * folds them into single spaces, in place. */
void render_wa_param(char *s);

#endif
