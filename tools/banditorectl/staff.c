/*
 * `staff add` (without --login) and `staff contacts`: the people of a
 * comune alerted on their own
 * WhatsApp or Telegram when banditore-feeds drafts a notice from a
 * civil-protection alert (the approvers, typically). `staff add` is
 * idempotent; listings show numbers redacted.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "ctl.h"

struct staff_args {
	const char *comune, *name, *whatsapp, *telegram;
};

static int staff_contact_add(int argc, char **argv);

static int staff_args_parse(int argc, char **argv, struct staff_args *sa)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ "name", required_argument, NULL, 'n' },
		{ "whatsapp", required_argument, NULL, 'w' },
		{ "telegram", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			sa->comune = optarg;
		else if (c == 'n')
			sa->name = optarg;
		else if (c == 'w')
			sa->whatsapp = optarg;
		else if (c == 't')
			sa->telegram = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	if (sa->comune == NULL || sa->name == NULL || *sa->name == '\0')
		return ctl_usage("staff add needs --comune ID and --name NAME");
	if ((sa->whatsapp != NULL) == (sa->telegram != NULL))
		return ctl_usage("staff add needs one of --whatsapp NUMBER or --telegram CHAT_ID");
	return CTL_OK;
}

int ctl_staff_add(int argc, char **argv)
{
	/* With --login: a console account (staff_account.c). */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], "--login", 7) == 0)
			return ctl_staff_account_add(argc, argv);
	return staff_contact_add(argc, argv);
}

/* `staff add` of a contact alerted of CAP drafts. */
static int staff_contact_add(int argc, char **argv)
{
	struct staff_args sa = { 0 };
	char e164[PHONE_MAX];
	const char *address;
	struct db *db;
	PGresult *res;
	int rc = staff_args_parse(argc, argv, &sa);

	if (rc != CTL_OK)
		return rc;
	if (sa.whatsapp != NULL && phone_normalize(sa.whatsapp, e164) != 0)
		return ctl_usage("--whatsapp: not a phone number");
	if (sa.telegram != NULL &&
	    (strlen(sa.telegram) > 20 || strspn(sa.telegram, "-0123456789") != strlen(sa.telegram)))
		return ctl_usage("--telegram takes a chat id (digits)");
	address = sa.whatsapp != NULL ? e164 : sa.telegram;
	if ((db = ctl_db_comune(sa.comune)) == NULL)
		return CTL_FAIL;
	const char *params[4] = { sa.comune, sa.name, sa.whatsapp != NULL ? "whatsapp" : "telegram",
		                  address };
	res = db_exec(db, "INSERT INTO staff_contacts (comune_id, name, kind, address) "
	                  "VALUES ($1, $2, $3, $4) ON CONFLICT (comune_id, kind, address) "
	                  "DO UPDATE SET name = EXCLUDED.name RETURNING id", 4, params);
	db_free(db);
	if (res == NULL)
		return ctl_fail("could not add the contact");
	fprintf(ctl_out, "%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return CTL_OK;
}

int ctl_staff_contacts(int argc, char **argv)
{
	static const char *const cols[] = { "id", "comune", "name", "kind", "address" };
	PGresult *res;
	/* Numbers as in logs: the country prefix and the last two digits. */
	int rc = ctl_list_query(argc, argv,
	    "SELECT id, comune_id, name, kind, " ACCOUNT_ADDRESS_MASKED("kind", "address")
	    " FROM staff_contacts "
	    "WHERE $1::text IS NULL OR comune_id = $1 ORDER BY comune_id, id",
	    "the staff contacts", &res);

	if (rc != CTL_OK)
		return rc;
	rc = ctl_rows_print(res, cols);
	PQclear(res);
	return rc;
}
