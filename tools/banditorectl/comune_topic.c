/*
 * `topic add` and `topic list`: the topics a comune's citizens may
 * choose (viabilita, meteo, ...). A topic has a slug (used in notices
 * and in Telegram deep links), a name shown to citizens and a keyword
 * citizens write on WhatsApp ("ATTIVA VIABILITA"). `topic add` is
 * idempotent like the other "add" commands.
 * (Kafka topics are another thing: kafka_admin.c.)
 */
#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "comune_rules.h"
#include "ctl.h"

/* The keyword: --keyword folded, or the slug's letters and digits. */
static int topic_keyword(const char *given, const char *slug, char kw[33])
{
	size_t n = 0;

	if (given != NULL) {
		if (ctl_keyword_fold(given, strlen(given), kw) != 0 || strlen(kw) < 2)
			return ctl_usage("--keyword must be one word of 2-32 letters or digits");
		return CTL_OK;
	}
	for (const char *p = slug; *p != '\0' && n < 32; p++)
		if (isalnum((unsigned char)*p))
			kw[n++] = (char)toupper((unsigned char)*p);
	kw[n] = '\0';
	if (n < 2)
		return ctl_usage("slug \"%s\" makes no keyword: give --keyword", slug);
	return CTL_OK;
}

/* CTL_OK unless kw is one of the comune's command words (comune_rules.h),
 * which a topic's keyword would shadow; CTL_FAIL (said) then. */
static int topic_clash(struct db *db, const char *comune, const char *kw)
{
	const char *params[1] = { comune };
	PGresult *res = db_exec(
	    db,
	    "SELECT array_to_string(join_keywords, ','), array_to_string(leave_keywords, ','),"
	    " array_to_string(topics_keywords, ','), array_to_string(help_keywords, ',')"
	    " FROM comuni WHERE id = $1",
	    1, params);
	const char *clash = NULL;

	if (res == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		return ctl_fail("could not read the keywords of comune \"%s\"", comune);
	}
	struct crule_lists l = { PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		                 PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3) };
	clash = crule_keyword_clash(kw, &l);
	PQclear(res);
	if (clash != NULL)
		return ctl_fail(
		    "keyword %s is one of comune \"%s\"'s %s words: give another --keyword", kw,
		    comune, clash);
	return CTL_OK;
}

/* Parses --comune and --keyword; the rest stays in argv[optind..]. */
static int topic_opts(int argc, char **argv, const char **comune, const char **keyword)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ "keyword", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			*comune = optarg;
		else if (c == 'k' && keyword != NULL)
			*keyword = optarg;
		else
			return CTL_USAGE;
	}
	if (*comune == NULL)
		return ctl_usage("--comune is required");
	return CTL_OK;
}

/* Prints what the insert did; CTL_OK or CTL_FAIL. */
static int topic_report(PGresult *res, const char *comune, const char *slug, const char *kw)
{
	if (PQntuples(res) != 1)
		return ctl_fail("keyword %s is used by another topic of comune \"%s\"", kw, comune);
	if (strcmp(PQgetvalue(res, 0, 1), kw) != 0)
		fprintf(stderr, "banditorectl: topic %s of %s exists already with keyword %s "
		                "(not changed)\n", slug, comune, PQgetvalue(res, 0, 1));
	else
		fprintf(stderr, "banditorectl: topic %s (%s) of %s %s\n", slug, kw, comune,
		        PQgetvalue(res, 0, 2)[0] == 't' ? "added" : "exists already");
	fprintf(ctl_out, "%s\n", slug);
	return CTL_OK;
}

int ctl_topic_add(int argc, char **argv)
{
	const char *comune = NULL, *keyword = NULL, *slug, *name;
	char kw[33];
	struct db *db;
	PGresult *res;
	int rc = topic_opts(argc, argv, &comune, &keyword);

	if (rc != CTL_OK)
		return rc;
	if (argc - optind != 2)
		return ctl_usage("topic add needs a SLUG and a NAME");
	slug = argv[optind];
	name = argv[optind + 1];
	if (!crule_slug_ok(slug))
		return ctl_usage("a slug is 1-32 of a-z, 0-9, '_' and '-'");
	if (name[0] == '\0')
		return ctl_usage("a topic needs a NAME");
	rc = topic_keyword(keyword, slug, kw);
	if (rc != CTL_OK)
		return rc;
	db = ctl_db_comune(comune);
	if (db == NULL)
		return CTL_FAIL;
	if (topic_clash(db, comune, kw) != CTL_OK) {
		db_free(db);
		return CTL_FAIL;
	}
	const char *params[4] = { comune, slug, name, kw };
	/* Inserted, or the existing topic with that slug; none if the
	 * keyword belongs to another topic. */
	res = db_exec(db,
	    "WITH ins AS (INSERT INTO topics (comune_id, slug, name, keyword)"
	    " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING slug, keyword)"
	    " SELECT slug, keyword, true FROM ins"
	    " UNION ALL SELECT slug, keyword, false FROM topics"
	    "  WHERE comune_id = $1 AND slug = $2 AND NOT EXISTS (SELECT 1 FROM ins)",
	    4, params);
	db_free(db);
	if (res == NULL)
		return ctl_fail("could not add topic %s", slug);
	rc = topic_report(res, comune, slug, kw);
	PQclear(res);
	return rc;
}

int ctl_topic_list(int argc, char **argv)
{
	static const char *const cols[] = { "slug", "keyword", "name", "chosen_by" };
	const char *comune = NULL;
	struct db *db;
	PGresult *res;
	int rc = topic_opts(argc, argv, &comune, NULL);

	if (rc != CTL_OK)
		return rc;
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	db = ctl_db_comune(comune);
	if (db == NULL)
		return CTL_FAIL;
	const char *params[1] = { comune };
	/* Subscribers with no choice receive every topic: counted apart. */
	res = db_exec(db,
	    "SELECT t.slug, t.keyword, t.name,"
	    " (SELECT count(*) FROM subscribers s JOIN channels ch ON ch.id = s.channel_id"
	    "  WHERE ch.comune_id = t.comune_id AND s.status = 'active' AND t.slug = ANY (s.topics))"
	    " FROM topics t WHERE t.comune_id = $1 ORDER BY t.slug",
	    1, params);
	db_free(db);
	if (res == NULL)
		return ctl_fail("could not list the topics of \"%s\"", comune);
	rc = ctl_rows_print(res, cols);
	PQclear(res);
	return rc;
}
