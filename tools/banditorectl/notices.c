/*
 * `notice list --comune ID [--status S] [--limit N]`: a comune's notices,
 * newest first, one a line (id, status, created, title), or as JSON.
 * `notice show ID`: one notice with its history (who, when) as JSON.
 * `notice stats ID`: its delivery statistics, in total and per channel, with the
 * estimated time to finish, as JSON (notice_stats_json, migration 0010).
 */
#include "notices.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char SQL_LIST[] =
    "SELECT n.id, n.status, " TS("n.created_at") ", n.urgent, n.title FROM notices n "
    "WHERE n.comune_id = $1 AND ($2 = '' OR n.status = $2) "
    "ORDER BY n.created_at DESC, n.id DESC LIMIT $3::int";

static const char SQL_SHOW[] =
    "SELECT json_build_object('id', n.id, 'comune_id', n.comune_id, 'status', n.status, "
    "'title', n.title, 'body', n.body, 'urgent', n.urgent, 'topics', n.topics, "
    "'category', n.category, 'link', n.link, 'channels', n.channels, 'group_id', n.group_id, "
    "'version', n.version, 'author', n.author, 'approver', n.approver, "
    "'reject_reason', n.reject_reason, 'recipients', n.recipients, "
    "'created_at', " TS("n.created_at") ", 'scheduled_at', " TS("n.scheduled_at") ", "
    "'release_at', " TS("n.release_at") ", 'sent_at', " TS("n.sent_at") ", "
    "'history', coalesce((SELECT json_agg(json_build_object('action', e.action, "
    "'actor', e.actor, 'actor_key_id', e.actor_key_id, 'at', " TS("e.at") ", "
    "'detail', e.detail) ORDER BY e.at, e.id) FROM notice_events e "
    "WHERE e.notice_id = n.id), '[]'::json)) FROM notices n WHERE n.id = $1::uuid";

/* As the editors' API shows them (migration 0010). */
static const char SQL_STATS[] =
    "SELECT notice_stats_json(n.id) FROM notices n WHERE n.id = $1::uuid";

int ctl_notice_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ "status", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = { "id", "status", "created", "urgent", "title" };
	const char *comune = NULL, *status = "";
	char limit[16] = "50";
	long n;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			comune = optarg;
		else if (c == 's')
			status = optarg;
		else if (c == 'l' && ctl_parse_long(optarg, 1, 10000, &n) == 0)
			snprintf(limit, sizeof(limit), "%ld", n);
		else
			return ctl_usage("--limit takes 1 to 10000");
	}
	if (comune == NULL || optind != argc)
		return ctl_usage("notice list takes --comune ID");
	const char *params[3] = { comune, status, limit };
	PGresult *res = ctl_query(SQL_LIST, 3, params);
	if (res == NULL)
		return ctl_fail("could not read the notices");
	if (ctl_format == CTL_FORMAT_JSON) {
		c = ctl_rows_print(res, cols);
		PQclear(res);
		return c;
	}
	for (int r = 0; r < PQntuples(res); r++)
		fprintf(ctl_out, "%s  %-9s  %s  %s%s\n", PQgetvalue(res, r, 0), PQgetvalue(res, r, 1),
		        PQgetvalue(res, r, 2), PQgetvalue(res, r, 3)[0] == 't' ? "[urgente] " : "",
		        PQgetvalue(res, r, 4));
	PQclear(res);
	return CTL_OK;
}

/* Runs sql for the notice id argv[1] and prints its JSON, indented. */
static int notice_json(int argc, char **argv, const char *sql, const char *what)
{
	const char *params[1];
	json_t *doc;
	PGresult *res;

	if (argc != 2 || strlen(argv[1]) != 36)
		return ctl_usage("give the notice id (a UUID)");
	params[0] = argv[1];
	res = ctl_query(sql, 1, params);
	if (res == NULL)
		return ctl_fail("could not read the %s", what);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ctl_fail("no notice %s", argv[1]);
	}
	doc = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (doc == NULL)
		return ctl_fail("unreadable %s", what);
	json_dumpf(doc, ctl_out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', ctl_out);
	json_decref(doc);
	return CTL_OK;
}

int ctl_notice_show(int argc, char **argv)
{
	return notice_json(argc, argv, SQL_SHOW, "notice");
}

int ctl_notice_stats(int argc, char **argv)
{
	return notice_json(argc, argv, SQL_STATS, "statistics");
}
