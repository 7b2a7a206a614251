/* Opt-in links and their QR codes (optin.h). */
#include "api/optin.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "xmalloc.h"
#include "api/console_params.h"
#include "api/console_read.h"
#include "api/editor_api.h"
#include "api/optin_link.h"
#include "api/qr_svg.h"
#include "core/reply.h"

/* The first WhatsApp number and Telegram bot set on the comune's channels. */
static const char SQL_OPTIN[] =
    "SELECT c.name, coalesce(c.join_keywords[1], ''), c.archive_base_url, "
    "coalesce((SELECT wa_display_number FROM channels WHERE comune_id = c.id "
    "AND kind = 'whatsapp' AND wa_display_number <> '' ORDER BY id LIMIT 1), ''), "
    "coalesce((SELECT tg_bot_username FROM channels WHERE comune_id = c.id "
    "AND kind = 'telegram' AND tg_bot_username <> '' ORDER BY id LIMIT 1), '') "
    "FROM comuni c WHERE c.id = $1";

/* {"whatsapp": {...} | null, "telegram": {...} | null, "form", "comune"} from row 0. */
static json_t *optin_links(PGresult *res, const char *comune, const char *public_base)
{
	const char *kw = *PQgetvalue(res, 0, 1) != '\0' ? PQgetvalue(res, 0, 1) : OPTIN_WA_KEYWORD;
	const char *base = *PQgetvalue(res, 0, 2) != '\0' ? PQgetvalue(res, 0, 2) : public_base;
	const char *number = PQgetvalue(res, 0, 3), *bot = PQgetvalue(res, 0, 4);
	char *form = optin_form_url(base, comune), *link;
	json_t *out = json_pack("{s:s, s:s, s:s, s:n, s:n}", "comune", comune, "name",
	                        PQgetvalue(res, 0, 0), "form", form, "whatsapp", "telegram");

	if (*number != '\0') {
		link = optin_wa_link(number, kw);
		json_object_set_new(out, "whatsapp",
		                    json_pack("{s:s, s:s, s:s, s:s}", "number", number, "keyword",
		                              kw, "link", link, "qr",
		                              "/api/v1/optin/qr?channel=whatsapp"));
		free(link);
	}
	if (*bot != '\0') {
		link = optin_tg_link(bot, OPTIN_TG_PAYLOAD);
		json_object_set_new(out, "telegram",
		                    json_pack("{s:s, s:s, s:s, s:s}", "bot", bot, "payload",
		                              OPTIN_TG_PAYLOAD, "link", link, "qr",
		                              "/api/v1/optin/qr?channel=telegram"));
		free(link);
	}
	free(form);
	return out;
}

/* Worker: the links as JSON. */
static int links_work(struct db *db, struct console_read *cr)
{
	const char *params[1] = { cr->comune };
	PGresult *res = db_read(db, SQL_OPTIN, 1, params);

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return CONSOLE_ABSENT;
	}
	cr->out = optin_links(res, cr->comune, cr->public_base);
	PQclear(res);
	return 0;
}

/* Worker: the QR code of the link of the channel kind in cr->arg. */
static int qr_work(struct db *db, struct console_read *cr)
{
	const char *kind = cr->arg;
	json_t *links, *ch;
	int rc = links_work(db, cr);

	if (rc != 0)
		return rc;
	links = cr->out;
	ch = json_object_get(links, kind);
	if (json_is_null(ch)) {
		cr->out =
		    json_pack("{s:s, s:s}", "error", "not_configured", "message",
		              strcmp(kind, "whatsapp") == 0
		                  ? "no WhatsApp channel of this comune has its public number: "
		                    "banditorectl channel set ID --display-number DIGITS"
		                  : "no Telegram channel of this comune has its bot's username: "
		                    "banditorectl channel set ID --bot-username NAME");
		json_decref(links);
		return CONSOLE_NOT_FOUND;
	}
	cr->svg = qr_svg(json_string_value(json_object_get(ch, "link")),
	                 json_string_value(json_object_get(ch, "link")));
	cr->out = NULL;
	json_decref(links);
	return cr->svg != NULL ? 0 : -1;
}

/* Parses the query, then queues work with arg. */
static void optin_read(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra,
                       bool qr)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	char *kind = xcalloc(1, 16);
	struct console_read *cr = NULL;
	struct editor_error err;
	struct evkeyvalq q;

	if (evhttp_parse_query_str(query != NULL ? query : "", &q) != 0) {
		reply_error(req, 400, "invalid_query", "malformed query string");
		free(kind);
		return;
	}
	if (qr && console_kind_parse(evhttp_find_header(&q, "channel"), kind, &err) != 0) {
		editor_reply_invalid(req, &err);
		free(kind);
	} else {
		cr = console_read_new(ing, req, ra, &q, qr ? qr_work : links_work, kind, NULL);
	}
	evhttp_clear_headers(&q);
	if (cr != NULL)
		console_read_queue(ing, cr);
}

void optin_handle_links(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	optin_read(ing, req, ra, false);
}

void optin_handle_qr(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	optin_read(ing, req, ra, true);
}
