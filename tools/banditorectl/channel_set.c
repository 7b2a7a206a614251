/*
 * `channel set ID [--rate N|default] [--welcome T] [--goodbye T]
 * [--template NAME] [--template-lang LANG] [--display-number DIGITS]
 * [--bot-username NAME]`: changes a channel's settings (only the options
 * given; templates and the public number are WhatsApp's, the bot's
 * username Telegram's: the opt-in links, migration 0013; "" clears). `channel disable
 * ID` / `channel enable ID`: switches a channel off and on again; the
 * composer fans no notice out on a disabled channel (migration 0014).
 * Each prints the channel's id on stdout.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* The options of channel set (NULL: not changed). */
struct chset_args {
	const char *id;
	const char *rate;        /* a number as text; NULL with rate_default */
	bool rate_default;       /* --rate default: WhatsApp's 80/s, Telegram's BND_TG_RATE */
	const char *welcome, *goodbye, *template, *lang;
	const char *number;      /* WhatsApp: the public number, digits (wa.me) */
	const char *bot;         /* Telegram: the bot's username, without '@' */
};

/* Checks a channel id argument; CTL_OK or CTL_USAGE (printed). */
static int chset_id(int argc, char **argv, int first, const char **id)
{
	long v;

	if (argc - first != 1)
		return ctl_usage("give one channel ID (see banditorectl channel list)");
	if (ctl_parse_long(argv[first], 1, 1L << 62, &v) != 0)
		return ctl_usage("\"%s\" is not a channel id", argv[first]);
	*id = argv[first];
	return CTL_OK;
}

/* Checks --display-number and --bot-username (as migration 0013's CHECKs;
 * "" clears); a leading '+' or '@' is dropped. CTL_OK or CTL_USAGE. */
static int chset_public(struct chset_args *a)
{
	size_t n;

	if (a->number != NULL && a->number[0] == '+')
		a->number++;
	if (a->bot != NULL && a->bot[0] == '@')
		a->bot++;
	n = a->number != NULL ? strlen(a->number) : 0;
	if (n > 0 && (strspn(a->number, "0123456789") != n || n < 7 || n > 15 ||
	              a->number[0] == '0'))
		return ctl_usage("--display-number takes the number with its country code, "
		                 "7 to 15 digits (e.g. 390612345678)");
	n = a->bot != NULL ? strlen(a->bot) : 0;
	if (n > 0 && (n < 5 || n > 32 || !((a->bot[0] | 0x20) >= 'a' && (a->bot[0] | 0x20) <= 'z') ||
	              strspn(a->bot, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                             "0123456789_") != n))
		return ctl_usage("--bot-username takes the bot's username: 5 to 32 of A-Z, a-z, "
		                 "0-9 and _, starting with a letter");
	return CTL_OK;
}

/* Parses channel set's command line; CTL_OK or CTL_USAGE (printed). */
static int chset_parse(int argc, char **argv, struct chset_args *a)
{
	static const struct option opts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "welcome", required_argument, NULL, 'w' },
		{ "goodbye", required_argument, NULL, 'g' },
		{ "template", required_argument, NULL, 'T' },
		{ "template-lang", required_argument, NULL, 'L' },
		{ "display-number", required_argument, NULL, 'N' },
		{ "bot-username", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	long rate;
	int c;

	*a = (struct chset_args){ 0 };
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': a->rate = optarg; break;
		case 'w': a->welcome = optarg; break;
		case 'g': a->goodbye = optarg; break;
		case 'T': a->template = optarg; break;
		case 'L': a->lang = optarg; break;
		case 'N': a->number = optarg; break;
		case 'B': a->bot = optarg; break;
		default: return CTL_USAGE;
		}
	}
	if ((c = chset_id(argc, argv, optind, &a->id)) != CTL_OK)
		return c;
	if (a->rate != NULL && strcmp(a->rate, "default") == 0) {
		a->rate = NULL;
		a->rate_default = true;
	} else if (a->rate != NULL && ctl_parse_long(a->rate, 1, 100000, &rate) != 0) {
		return ctl_usage("--rate must be from 1 to 100000 messages per second, or default");
	}
	if ((a->template != NULL && a->template[0] == '\0') || (a->lang != NULL && a->lang[0] == '\0'))
		return ctl_usage("--template and --template-lang cannot be empty");
	if ((c = chset_public(a)) != CTL_OK)
		return c;
	if (a->rate == NULL && !a->rate_default && a->welcome == NULL && a->goodbye == NULL &&
	    a->template == NULL && a->lang == NULL && a->number == NULL && a->bot == NULL)
		return ctl_usage("nothing to change: give at least one option");
	return CTL_OK;
}

/* The update, and the channel's kind as it was (none: no such channel). */
static const char SQL_SET[] =
    "WITH upd AS (UPDATE channels SET"
    " rate_per_sec = CASE WHEN $7::boolean THEN (CASE kind WHEN 'whatsapp' THEN 80 END)"
    "  ELSE coalesce($2::integer, rate_per_sec) END,"
    " welcome_text = coalesce($3, welcome_text), goodbye_text = coalesce($4, goodbye_text),"
    " wa_template = coalesce($5, wa_template), wa_template_lang = coalesce($6, wa_template_lang),"
    " wa_display_number = coalesce($8, wa_display_number),"
    " tg_bot_username = coalesce($9, tg_bot_username)"
    " WHERE id = $1::bigint AND (kind = 'whatsapp' OR ($5::text IS NULL AND $6::text IS NULL"
    " AND $8::text IS NULL)) AND (kind = 'telegram' OR $9::text IS NULL)"
    " RETURNING id)"
    " SELECT (SELECT count(*) FROM upd), kind FROM channels WHERE id = $1::bigint";

int ctl_channel_set(int argc, char **argv)
{
	struct chset_args a;
	PGresult *res;
	int rc = chset_parse(argc, argv, &a);

	if (rc != CTL_OK)
		return rc;
	const char *params[9] = { a.id, a.rate, a.welcome, a.goodbye, a.template, a.lang,
		                  a.rate_default ? "true" : "false", a.number, a.bot };
	res = ctl_query(SQL_SET, 9, params);
	if (res == NULL)
		return ctl_fail("could not change channel %s", a.id);
	if (PQntuples(res) == 0)
		rc = ctl_fail("no channel %s (see banditorectl channel list)", a.id);
	else if (strcmp(PQgetvalue(res, 0, 0), "0") == 0)
		rc = ctl_usage("channel %s is a %s channel: --template, --template-lang and "
		               "--display-number are WhatsApp's, --bot-username Telegram's",
		               a.id, PQgetvalue(res, 0, 1));
	else
		fprintf(stderr, "banditorectl: channel %s changed\n", a.id);
	PQclear(res);
	if (rc == CTL_OK)
		fprintf(ctl_out, "%s\n", a.id);
	return rc;
}

/* Sets the channel's disabled flag; CTL_OK, CTL_FAIL or CTL_USAGE. */
static int channel_switch(int argc, char **argv, bool disable)
{
	const char *id = NULL;
	PGresult *res;
	int rc = chset_id(argc, argv, 1, &id);

	if (rc != CTL_OK)
		return rc;
	const char *params[2] = { id, disable ? "true" : "false" };
	res = ctl_query("UPDATE channels SET disabled = $2::boolean WHERE id = $1::bigint"
	                " RETURNING comune_id, kind, sender_account", 2, params);
	if (res == NULL)
		return ctl_fail("could not %s channel %s", disable ? "disable" : "enable", id);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ctl_fail("no channel %s (see banditorectl channel list)", id);
	}
	fprintf(stderr, "banditorectl: channel %s (%s %s %s) %s\n", id, PQgetvalue(res, 0, 0),
	        PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
	        disable ? "disabled: no new notice is fanned out on it" : "enabled");
	PQclear(res);
	fprintf(ctl_out, "%s\n", id);
	return CTL_OK;
}

int ctl_channel_disable(int argc, char **argv)
{
	return channel_switch(argc, argv, true);
}

int ctl_channel_enable(int argc, char **argv)
{
	return channel_switch(argc, argv, false);
}
