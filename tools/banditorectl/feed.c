/*
 * `feed add`, `feed list` and `feed remove`: the CAP feeds banditore-feeds polls (a CAP
 * alert or an Atom feed of alerts), how often, for which comuni, from
 * which severity, for which events. `feed add` of a known URL changes its
 * settings (idempotent like the other "add" commands) and polls it at
 * once. The comuni say where they are with `comune set --cap-geocodes /
 * --centroid` (comune_set.c).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ctl_csv.h"
#include "xmalloc.h"

struct feed_args {
	const char *url;
	const char *interval;
	const char *severity;
	struct ctl_scope comuni;
	char *events;            /* text[] literal */
};

static int feed_severity_ok(const char *s)
{
	return strcmp(s, "Minor") == 0 || strcmp(s, "Moderate") == 0 || strcmp(s, "Severe") == 0 ||
	       strcmp(s, "Extreme") == 0;
}

/* Parses `feed add URL --interval S --comuni A,B [--min-severity S] [--events CSV]`. */
static int feed_args_parse(int argc, char **argv, struct feed_args *fa)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "comuni", required_argument, NULL, 'c' },
		{ "min-severity", required_argument, NULL, 's' },
		{ "events", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *csv = NULL, *events = "";
	long secs;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'i')
			fa->interval = optarg;
		else if (c == 'c')
			csv = optarg;
		else if (c == 's')
			fa->severity = optarg;
		else if (c == 'e')
			events = optarg;
		else
			return CTL_USAGE;
	}
	if (argc - optind != 1)
		return ctl_usage("feed add needs one URL");
	fa->url = argv[optind];
	if (strncmp(fa->url, "https://", 8) != 0 && strncmp(fa->url, "http://", 7) != 0)
		return ctl_usage("the feed's URL must be an http(s):// address");
	if (ctl_parse_long(fa->interval, 1, 86400, &secs) != 0)
		return ctl_usage("--interval takes seconds, from 1 to 86400");
	if (!feed_severity_ok(fa->severity))
		return ctl_usage("--min-severity takes Minor, Moderate, Severe or Extreme");
	if (csv == NULL)
		return ctl_usage("--comuni A,B is needed: the comuni the feed concerns");
	if (ctl_scope_parse("consortium", csv, false, &fa->comuni) != CTL_OK)
		return CTL_USAGE;
	fa->events = ctl_csv_array(events, "--events", true);
	return fa->events != NULL ? CTL_OK : CTL_USAGE;
}

int ctl_feed_add(int argc, char **argv)
{
	struct feed_args fa = { .interval = "60", .severity = "Moderate" };
	PGresult *res;
	int rc = feed_args_parse(argc, argv, &fa);

	if (rc == CTL_OK)
		rc = ctl_scope_check(&fa.comuni);
	if (rc == CTL_OK) {
		const char *params[5] = { fa.url, fa.interval, fa.comuni.comuni, fa.severity,
			                  fa.events };
		res = ctl_query("INSERT INTO feeds (url, interval_s, comuni, min_severity, event_types) "
		                "VALUES ($1, $2::integer, $3::text[], $4, $5::text[]) "
		                "ON CONFLICT (url) DO UPDATE SET interval_s = EXCLUDED.interval_s, "
		                "comuni = EXCLUDED.comuni, min_severity = EXCLUDED.min_severity, "
		                "event_types = EXCLUDED.event_types, next_poll_at = now() "
		                "RETURNING id", 5, params);
		if (res == NULL) {
			rc = ctl_fail("could not add the feed %s", fa.url);
		} else {
			fprintf(ctl_out, "%s\n", PQgetvalue(res, 0, 0));
			PQclear(res);
		}
	}
	ctl_scope_free(&fa.comuni);
	free(fa.events);
	return rc;
}

int ctl_feed_list(int argc, char **argv)
{
	static const char *const cols[] = { "id", "url", "interval_s", "comuni", "min_severity",
		                            "events", "last_status", "last_polled_at" };
	PGresult *res;
	int rc;

	if (argc != 1)
		return ctl_usage("unexpected argument \"%s\"", argv[1]);
	res = ctl_query("SELECT id, url, interval_s, array_to_string(comuni, ','), min_severity, "
	                "array_to_string(event_types, ','), last_status, "
	                "coalesce(to_char(last_polled_at AT TIME ZONE 'UTC', "
	                "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') FROM feeds ORDER BY id", 0, NULL);
	if (res == NULL)
		return ctl_fail("could not list the feeds");
	rc = ctl_rows_print(res, cols);
	PQclear(res);
	return rc;
}

int ctl_feed_remove(int argc, char **argv)
{
	const char *params[1];
	PGresult *res;
	long id;
	int rc = CTL_OK;

	if (argc != 2 || ctl_parse_long(argv[1], 1, 1L << 53, &id) != 0)
		return ctl_usage("feed remove needs one feed ID (see feed list)");
	params[0] = argv[1];
	/* The alerts read from it stay recorded (their feed_id becomes NULL). */
	res = ctl_query("DELETE FROM feeds WHERE id = $1::bigint RETURNING url", 1, params);
	if (res == NULL)
		return ctl_fail("could not remove feed %s", argv[1]);
	if (PQntuples(res) == 0)
		rc = ctl_fail("no feed %s (see banditorectl feed list)", argv[1]);
	else
		fprintf(stderr, "banditorectl: feed %s (%s) removed\n", argv[1], PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}
