/* Per-channel rendering of a notice for the editors' preview. */
#include "api/preview.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "render.h"
#include "xmalloc.h"
#include "api/notice_store.h"
#include "core/directory.h"

void preview_wa_params(const struct preview_notice *n, char *p[3])
{
	render_wa_params(n->title, n->body, n->link, n->archive, n->fallback, p);
}

char *preview_tg_text(const struct preview_notice *n)
{
	return render_tg_full(n->title, n->body, n->link, n->archive);
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

static const char SQL_PREVIEW[] =
    "SELECT n.id, n.status, n.title, n.body, n.link, n.comune_id, c.archive_base_url, c.name, "
    "coalesce((SELECT ch.wa_template FROM channels ch WHERE ch.comune_id = n.comune_id "
    "AND ch.kind = 'whatsapp' ORDER BY ch.id LIMIT 1), 'avviso_comune'), "
    "coalesce((SELECT ch.wa_template_lang FROM channels ch WHERE ch.comune_id = n.comune_id "
    "AND ch.kind = 'whatsapp' ORDER BY ch.id LIMIT 1), 'it') "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id "
    "WHERE n.id = $1::uuid AND (n.comune_id = $2 OR ($3 = 'consortium' AND "
    "EXISTS (SELECT 1 FROM api_keys k WHERE k.id = $4::bigint AND "
    "(k.consortium_all OR n.comune_id = ANY (k.consortium_comuni)))))";

int preview_load(struct db *db, const char *id, const struct dir_api_key *key, json_t **out)
{
	char keyid[24], *archive;
	const char *params[4] = { id, key->comune_id, key->role, keyid };
	struct preview_notice n;
	PGresult *res;

	snprintf(keyid, sizeof(keyid), "%lld", key->id);
	res = db_read(db, SQL_PREVIEW, 4, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return NOTICE_ABSENT;
	}
	archive = render_archive_url(PQgetvalue(res, 0, 6), PQgetvalue(res, 0, 5), PQgetvalue(res, 0, 0));
	n = (struct preview_notice){ PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
		                     PQgetvalue(res, 0, 4), archive, PQgetvalue(res, 0, 7) };
	*out = preview_render(&n, PQgetvalue(res, 0, 8), PQgetvalue(res, 0, 9));
	json_object_set_new(*out, "id", json_string(PQgetvalue(res, 0, 0)));
	json_object_set_new(*out, "status", json_string(PQgetvalue(res, 0, 1)));
	PQclear(res);
	free(archive);
	return 0;
}
