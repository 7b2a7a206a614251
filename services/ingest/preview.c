/* Per-channel rendering of a notice for the editors' preview. */
#include "preview.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "directory.h"
#include "notice_store.h"
#include "text_escape.h"
#include "xmalloc.h"

#define ELLIPSIS "\xE2\x80\xA6"   /* U+2026, one unit */

/* UTF-16 units of the character starting with byte c. */
static size_t units_of(unsigned char c)
{
	return c >= 0xF0 ? 2 : 1;
}

static size_t units(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p & 0xC0) != 0x80)
			n += units_of(*p);
	return n;
}

/* s cut to max UTF-16 units, "…" included, never inside a character. */
static char *clip_units(const char *s, size_t max)
{
	size_t used = 0, i = 0;
	char *out;

	if (units(s) <= max)
		return xstrdup(s);
	while (s[i] != '\0') {
		size_t len = 1, u = units_of((unsigned char)s[i]);
		while (s[i + len] != '\0' && ((unsigned char)s[i + len] & 0xC0) == 0x80)
			len++;
		if (used + u + 1 > max)
			break;
		i += len;
		used += u;
	}
	out = xmalloc(i + sizeof(ELLIPSIS));
	memcpy(out, s, i);
	memcpy(out + i, ELLIPSIS, sizeof(ELLIPSIS));
	return out;
}

/* Folds newlines, tabs and runs of spaces into single spaces, in place
 * (template parameters may hold none of them). */
static void fold(char *s)
{
	char *w = s;
	bool space = false;

	for (char *r = s; *r != '\0'; r++) {
		if (*r == '\n' || *r == '\r' || *r == '\t' || *r == ' ') {
			if (!space && w != s)
				*w++ = ' ';
			space = true;
		} else {
			*w++ = *r;
			space = false;
		}
	}
	while (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* A folded copy of s clipped to max units. */
static char *wa_param(const char *s, size_t max)
{
	char *folded = xstrdup(s), *out;

	fold(folded);
	out = clip_units(folded, max);
	free(folded);
	return out;
}

void preview_wa_params(const struct preview_notice *n, char *p[3])
{
	const char *l = n->link;
	size_t room;

	if (*l == '\0' || units(l) > PREVIEW_WA_LINK_MAX)
		l = n->archive;
	if (*l == '\0' || units(l) > PREVIEW_WA_LINK_MAX)
		l = n->fallback;
	p[2] = wa_param(*l != '\0' ? l : "-", PREVIEW_WA_LINK_MAX);
	p[0] = wa_param(*n->title != '\0' ? n->title : "-", PREVIEW_WA_TITLE_MAX);
	room = PREVIEW_WA_BODY_TOTAL - PREVIEW_WA_FIXED - units(p[0]) - units(p[2]);
	p[1] = wa_param(*n->body != '\0' ? n->body : "-", room);
	if (*p[1] == '\0') {
		free(p[1]);
		p[1] = xstrdup("-");
	}
}

/* "<b>title</b>\n\nbody" within max units. */
static char *tg_head(const char *title, const char *body, size_t max)
{
	char *t = clip_units(title, PREVIEW_TG_TITLE_MAX);
	char *b = clip_units(body, max - units(t) - 2);
	char *te = esc_text(t, ESC_TELEGRAM), *be = esc_text(b, ESC_TELEGRAM), *out;

	out = *b == '\0' ? xasprintf("<b>%s</b>", te) : xasprintf("<b>%s</b>\n\n%s", te, be);
	free(t);
	free(b);
	free(te);
	free(be);
	return out;
}

char *preview_tg_text(const struct preview_notice *n)
{
	bool other = *n->archive != '\0' && strcmp(n->link, n->archive) != 0;
	char *le = esc_text(n->link, ESC_TELEGRAM), *ae = esc_text(n->archive, ESC_TELEGRAM);
	char *foot, *head, *out;

	foot = xasprintf("%s%s%s%s", *n->link != '\0' ? "\n\nMaggiori informazioni: " : "", le,
	                 other ? "\n\nAvviso nell'archivio del Comune: " : "", other ? ae : "");
	head = tg_head(n->title, n->body, PREVIEW_TG_TEXT_MAX - units(foot));
	out = xasprintf("%s%s", head, foot);
	free(le);
	free(ae);
	free(foot);
	free(head);
	return out;
}

json_t *preview_render(const struct preview_notice *n, const char *template_name,
                       const char *language)
{
	char *p[3], *tg = preview_tg_text(n);
	json_t *out;

	preview_wa_params(n, p);
	out = json_pack("{s:{s:s, s:s, s:[s, s, s]}, s:{s:s, s:s, s:b}}",
	                "whatsapp", "template", template_name, "language", language, "params",
	                p[0], p[1], p[2], "telegram", "parse_mode", "HTML", "text", tg,
	                "disable_web_page_preview", 1);
	for (int i = 0; i < 3; i++)
		free(p[i]);
	free(tg);
	return out;
}

/* The notice's archive page, as the composer links it; "" without a base. */
static char *archive_url(const char *base, const char *comune, const char *id)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return n == 0 ? xstrdup("") : xasprintf("%.*s/c/%s/avvisi/%s", (int)n, base, comune, id);
}

static const char SQL_PREVIEW[] =
    "SELECT n.id, n.status, n.title, n.body, n.link, n.comune_id, c.archive_base_url, c.name, "
    "coalesce((SELECT ch.wa_template FROM channels ch WHERE ch.comune_id = n.comune_id "
    "AND ch.kind = 'whatsapp' ORDER BY ch.id LIMIT 1), 'avviso_comune'), "
    "coalesce((SELECT ch.wa_template_lang FROM channels ch WHERE ch.comune_id = n.comune_id "
    "AND ch.kind = 'whatsapp' ORDER BY ch.id LIMIT 1), 'it') "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id "
    "WHERE n.id = $1::uuid AND (n.comune_id = $2 OR ($3 = 'consortium' AND "
    "EXISTS (SELECT 1 FROM api_keys k WHERE k.id = $4::bigint AND "
    "(cardinality(k.consortium_comuni) = 0 OR n.comune_id = ANY (k.consortium_comuni)))))";

int preview_load(struct db *db, const char *id, const struct dir_api_key *key, json_t **out)
{
	char keyid[24], *archive;
	const char *params[4] = { id, key->comune_id, key->role, keyid };
	struct preview_notice n;
	PGresult *res;

	snprintf(keyid, sizeof(keyid), "%lld", key->id);
	res = db_exec(db, SQL_PREVIEW, 4, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return NOTICE_ABSENT;
	}
	archive = archive_url(PQgetvalue(res, 0, 6), PQgetvalue(res, 0, 5), PQgetvalue(res, 0, 0));
	n = (struct preview_notice){ PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
		                     PQgetvalue(res, 0, 4), archive, PQgetvalue(res, 0, 7) };
	*out = preview_render(&n, PQgetvalue(res, 0, 8), PQgetvalue(res, 0, 9));
	json_object_set_new(*out, "id", json_string(PQgetvalue(res, 0, 0)));
	json_object_set_new(*out, "status", json_string(PQgetvalue(res, 0, 1)));
	PQclear(res);
	free(archive);
	return 0;
}
