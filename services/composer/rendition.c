/* Per-kind renderings of a notice; see rendition.h. */
#include "rendition.h"

#include <stdlib.h>
#include <string.h>

#include "render.h"

/* The comune's template, parameters title, body and link. */
static void render_whatsapp(const struct notice_text *nt, const struct rendition_channel *ch,
                            struct rendition *r)
{
	render_wa_params(nt->title, nt->body, nt->link, nt->archive, nt->comune, r->params);
	r->tpl.name = (char *)ch->tpl;
	r->tpl.language = (char *)ch->lang;
	r->tpl.n_body_params = 3;
	r->tpl.body_params = r->params;
	r->content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
}

/* An HTML text: the title in bold, the body, the links in words. */
static void render_telegram(const struct notice_text *nt, const struct rendition_channel *ch,
                            struct rendition *r)
{
	(void)ch;
	r->text.body = render_tg_full(nt->title, nt->body, nt->link, nt->archive);
	r->text.html = true;
	r->content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT;
}

static const struct {
	channel_kind kind;
	void (*render)(const struct notice_text *, const struct rendition_channel *,
	               struct rendition *);
} renderers[] = {
	{ BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP, render_whatsapp },
	{ BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM, render_telegram },
};

int rendition_make(channel_kind kind, const struct notice_text *nt,
                   const struct rendition_channel *ch, struct rendition *r)
{
	for (size_t i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++) {
		if (renderers[i].kind != kind)
			continue;
		memset(r, 0, sizeof(*r));
		banditore__v1__template_content__init(&r->tpl);
		banditore__v1__text_content__init(&r->text);
		renderers[i].render(nt, ch, r);
		return 0;
	}
	return -1;
}

void rendition_attach(const struct rendition *r, Banditore__V1__DeliveryJob *job)
{
	job->content_case = r->content_case;
	if (r->content_case == BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE)
		job->template_ = (Banditore__V1__TemplateContent *)&r->tpl;
	else
		job->text = (Banditore__V1__TextContent *)&r->text;
}

void rendition_free(struct rendition *r)
{
	for (int i = 0; i < 3; i++)
		free(r->params[i]);
	if (r->content_case == BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT)
		free(r->text.body);
	memset(r, 0, sizeof(*r));
}
