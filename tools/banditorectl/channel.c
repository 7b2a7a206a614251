/*
 * `channel add` and `channel list`: a comune's sender accounts.
 * WhatsApp: phone-number id, access token ref, app secret ref (webhook
 * signatures), notice template, web-form confirmation template.
 * Telegram: bot id, bot token ref, webhook secret token ref, optional
 * public channel (channel mode), optionally channel only (no bot-mode
 * messages). Secrets are stored and shown only as references.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "channel_kind.h"
#include "ctl.h"
#include "xmalloc.h"

/* Options of `channel add`, as text parameters for the INSERT. */
struct channel_args {
	const char *comune, *kind, *sender, *token_ref, *app_secret_ref;
	const char *welcome, *goodbye, *rate, *template, *template_lang;
	const char *confirm;          /* --confirm-template NAME[:LANG] */
	const char *tg_public;        /* --tg-public-channel */
	bool tg;                      /* --kind is telegram (else whatsapp) */
	bool tg_channel_only;
	char confirm_name[128];
	bool lang_given;
};

/* true if ref looks like env:NAME or file:/path. */
static bool channel_ref_ok(const char *ref)
{
	return (strncmp(ref, "env:", 4) == 0 && ref[4] != '\0') ||
	       (strncmp(ref, "file:", 5) == 0 && ref[5] != '\0');
}

/* true for "@name" (5-32 letters, digits, '_') or a numeric "-100…" id. */
static bool channel_tg_public_ok(const char *s)
{
	size_t n = strlen(s);

	if (s[0] == '-' && n > 4 && strncmp(s, "-100", 4) == 0)
		return strspn(s + 1, "0123456789") == n - 1;
	if (s[0] != '@' || n < 6 || n > 33)
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Splits --confirm-template NAME[:LANG] into ch; CTL_OK or CTL_USAGE. */
static int channel_confirm_parse(struct channel_args *ch)
{
	const char *colon = strchr(ch->confirm, ':');
	size_t n = colon ? (size_t)(colon - ch->confirm) : strlen(ch->confirm);

	if (n == 0 || n >= sizeof(ch->confirm_name))
		return ctl_usage("--confirm-template needs a template NAME[:LANG]");
	memcpy(ch->confirm_name, ch->confirm, n);
	ch->confirm_name[n] = '\0';
	if (colon == NULL)
		return CTL_OK;
	/* One language column serves both templates of the channel. */
	if (ch->lang_given && strcmp(colon + 1, ch->template_lang) != 0)
		return ctl_usage("the confirmation and notice templates share one language: "
		                 "--template-lang %s differs from :%s", ch->template_lang, colon + 1);
	if (colon[1] == '\0')
		return ctl_usage("--confirm-template %s: empty language", ch->confirm);
	ch->template_lang = colon + 1;
	return CTL_OK;
}

/* Checks what depends on the kind; CTL_OK or CTL_USAGE. */
static int channel_check(struct channel_args *ch)
{
	long rate;
	channel_kind kind;

	if (channel_kind_parse(ch->kind, &kind) != 0)
		return ctl_usage("--kind must be whatsapp or telegram");
	ch->tg = kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
	/* Without --rate: WhatsApp's default 80/s is stored; a Telegram bot
	 * follows the dispatcher's BND_TG_RATE (NULL). */
	if (ch->rate == NULL && !ch->tg)
		ch->rate = "80";
	if (ch->rate != NULL && ctl_parse_long(ch->rate, 1, 100000, &rate) != 0)
		return ctl_usage("--rate must be from 1 to 100000 messages per second");
	if (!channel_ref_ok(ch->token_ref) ||
	    (ch->app_secret_ref[0] != '\0' && !channel_ref_ok(ch->app_secret_ref)))
		return ctl_usage("secrets are references: env:NAME or file:/path");
	if (!ch->tg && (ch->tg_public != NULL || ch->tg_channel_only))
		return ctl_usage("--tg-public-channel and --tg-channel-only are for --kind telegram");
	if (ch->tg && ch->confirm != NULL)
		return ctl_usage("--confirm-template is for --kind whatsapp");
	if (ch->tg_public != NULL && !channel_tg_public_ok(ch->tg_public))
		return ctl_usage("--tg-public-channel must be @name or a -100… chat id");
	if (ch->tg_channel_only && ch->tg_public == NULL)
		return ctl_usage("--tg-channel-only needs --tg-public-channel");
	if (ch->tg_channel_only) {
		/* No bot-mode messages: nobody is welcomed or said goodbye to. */
		ch->welcome = ch->welcome ? ch->welcome : "";
		ch->goodbye = ch->goodbye ? ch->goodbye : "";
	}
	if (!ch->welcome || !ch->goodbye)
		return ctl_usage("--welcome and --goodbye are required");
	if (ch->confirm != NULL)
		return channel_confirm_parse(ch);
	return CTL_OK;
}

/* Parses `channel add` options into ch; CTL_OK or CTL_USAGE. */
static int channel_parse(int argc, char **argv, struct channel_args *ch)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ "kind", required_argument, NULL, 'k' },
		{ "sender", required_argument, NULL, 's' },
		{ "token-ref", required_argument, NULL, 't' },
		{ "app-secret-ref", required_argument, NULL, 'a' },
		{ "welcome", required_argument, NULL, 'w' },
		{ "goodbye", required_argument, NULL, 'g' },
		{ "rate", required_argument, NULL, 'r' },
		{ "template", required_argument, NULL, 'T' },
		{ "template-lang", required_argument, NULL, 'L' },
		{ "confirm-template", required_argument, NULL, 'C' },
		{ "tg-public-channel", required_argument, NULL, 'P' },
		{ "tg-channel-only", no_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*ch = (struct channel_args){ .app_secret_ref = "", .rate = NULL,
	                             .template = "avviso_comune", .template_lang = "it" };
	strcpy(ch->confirm_name, "conferma_iscrizione");
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': ch->comune = optarg; break;
		case 'k': ch->kind = optarg; break;
		case 's': ch->sender = optarg; break;
		case 't': ch->token_ref = optarg; break;
		case 'a': ch->app_secret_ref = optarg; break;
		case 'w': ch->welcome = optarg; break;
		case 'g': ch->goodbye = optarg; break;
		case 'r': ch->rate = optarg; break;
		case 'T': ch->template = optarg; break;
		case 'L': ch->template_lang = optarg; ch->lang_given = true; break;
		case 'C': ch->confirm = optarg; break;
		case 'P': ch->tg_public = optarg; break;
		case 'O': ch->tg_channel_only = true; break;
		default: return CTL_USAGE;
		}
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	if (!ch->comune || !ch->kind || !ch->sender || !ch->token_ref)
		return ctl_usage("--comune, --kind, --sender and --token-ref are required");
	return channel_check(ch);
}

/* Prints the outcome of the insert; CTL_OK or CTL_FAIL. */
static int channel_report(PGresult *res, const struct channel_args *ch)
{
	if (PQntuples(res) != 1)
		return ctl_fail("could not add the channel");
	if (strcmp(PQgetvalue(res, 0, 1), ch->comune) != 0)
		return ctl_fail("%s sender %s belongs to comune \"%s\" already", ch->kind, ch->sender,
		                PQgetvalue(res, 0, 1));
	fprintf(stderr, "banditorectl: channel %s (%s %s) %s\n", PQgetvalue(res, 0, 0), ch->kind,
	        ch->sender,
	        PQgetvalue(res, 0, 2)[0] == 't' ? "added" : "exists already (not changed)");
	if (ch->tg && !ch->tg_channel_only && ch->app_secret_ref[0] == '\0')
		fprintf(stderr, "banditorectl: warning: no --app-secret-ref: the bot's webhook "
		                "will reject every update\n");
	fprintf(ctl_out, "%s\n", PQgetvalue(res, 0, 0));
	return CTL_OK;
}

int ctl_channel_add(int argc, char **argv)
{
	struct channel_args ch;
	struct db *db;
	PGresult *res;
	int rc = channel_parse(argc, argv, &ch);

	if (rc != CTL_OK)
		return rc;
	db = ctl_db_comune(ch.comune);
	if (db == NULL)
		return CTL_FAIL;
	const char *params[13] = { ch.comune, ch.kind, ch.sender, ch.token_ref, ch.app_secret_ref,
	                           ch.welcome, ch.goodbye, ch.rate, ch.template, ch.template_lang,
	                           ch.confirm_name, ch.tg_public ? ch.tg_public : "",
	                           ch.tg_channel_only ? "false" : "true" };
	/* Inserted, or the existing row: either way its id and comune. */
	res = db_exec(db,
	    "WITH ins AS ("
	    " INSERT INTO channels (comune_id, kind, sender_account, token_ref, app_secret_ref,"
	    "  welcome_text, goodbye_text, rate_per_sec, wa_template, wa_template_lang,"
	    "  wa_confirm_template, tg_public_channel, tg_bot_mode)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::integer, $9, $10, $11, $12, $13::boolean)"
	    " ON CONFLICT (kind, sender_account) DO NOTHING RETURNING id, comune_id)"
	    " SELECT id, comune_id, true FROM ins"
	    " UNION ALL SELECT id, comune_id, false FROM channels"
	    "  WHERE kind = $2 AND sender_account = $3 AND NOT EXISTS (SELECT 1 FROM ins)",
	    13, params);
	db_free(db);
	if (res == NULL)
		return ctl_fail("could not add the channel");
	rc = channel_report(res, &ch);
	PQclear(res);
	return rc;
}

int ctl_channel_list(int argc, char **argv)
{
	static const char *const cols[] = { "id", "comune", "kind", "sender", "token_ref",
		                            "app_secret_ref", "rate", "template", "confirm_template",
		                            "tg_public_channel", "tg_mode", "active", "disabled" };
	PGresult *res;
	int rc;

	/* Only references to secrets are stored, and only they are shown. */
	rc = ctl_list_query(argc, argv,
	    "SELECT ch.id, ch.comune_id, ch.kind, ch.sender_account, ch.token_ref,"
	    " ch.app_secret_ref, coalesce(ch.rate_per_sec::text, 'default'),"
	    " CASE ch.kind WHEN 'whatsapp' THEN ch.wa_template || ':' || ch.wa_template_lang"
	    "  ELSE '' END,"
	    " CASE ch.kind WHEN 'whatsapp' THEN ch.wa_confirm_template || ':' || ch.wa_template_lang"
	    "  ELSE '' END,"
	    " ch.tg_public_channel,"
	    " CASE WHEN ch.kind = 'telegram' AND NOT ch.tg_bot_mode THEN 'channel-only'"
	    "  WHEN ch.kind = 'telegram' AND ch.tg_public_channel <> '' THEN 'bot+channel'"
	    "  WHEN ch.kind = 'telegram' THEN 'bot' ELSE '' END,"
	    " (SELECT count(*) FROM subscribers s WHERE s.channel_id = ch.id AND s.status = 'active'),"
	    " ch.disabled"
	    " FROM channels ch WHERE $1::text IS NULL OR ch.comune_id = $1"
	    " ORDER BY ch.comune_id, ch.id",
	    "the channels", &res);
	if (rc != CTL_OK)
		return rc;
	rc = ctl_rows_print(res, cols);
	PQclear(res);
	return rc;
}
