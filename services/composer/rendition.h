/*
 * A notice as each kind of channel shows it, chosen from a table with one
 * entry per channel kind (channel_kind.h): on WhatsApp the comune's
 * approved template with three parameters, on Telegram an HTML text
 * (common/render.h says how each is cut to the provider's limits). The
 * fan-out renders a notice once per channel and points every job of that
 * channel at the result. Adding a kind: one entry in rendition.c.
 */
#ifndef BND_RENDITION_H
#define BND_RENDITION_H

#include "channel_kind.h"

/* What a notice says, and where to read more. */
struct notice_text {
	const char *title, *body, *link;
	const char *archive;     /* the notice's page in the public archive, "" for none */
	const char *comune;      /* the comune's name: WhatsApp's link of last resort */
};

/* The channel's own settings a rendering may use. */
struct rendition_channel {
	const char *tpl, *lang;  /* WhatsApp: the approved template and its language */
};

/* The content of one channel's jobs. */
struct rendition {
	Banditore__V1__DeliveryJob__ContentCase content_case;
	Banditore__V1__TemplateContent tpl;
	Banditore__V1__TextContent text;
	char *params[3];         /* template parameters, when a template */
};

/*
 * Renders nt for a channel ch of kind into r. 0, or -1 (r untouched) if
 * the composer has no rendering for kind. Free with rendition_free.
 */
int rendition_make(channel_kind kind, const struct notice_text *nt,
                   const struct rendition_channel *ch, struct rendition *r)
    __attribute__((warn_unused_result));
/* Points job's content at r, which must outlive the job's packing. */
void rendition_attach(const struct rendition *r, Banditore__V1__DeliveryJob *job);
void rendition_free(struct rendition *r);

#endif
