/*
 * banditorectl: admin command line. Configured like the services, by
 * environment variables (BND_PG_DSN, BND_KAFKA_BROKERS, BND_TOPIC_PREFIX,
 * BND_MIGRATIONS_DIR, BND_LOG_LEVEL); `banditorectl --config` lists them.
 * `--help`, `help [COMMAND]` and `COMMAND --help` print usage on stdout;
 * `--version` and `version` the version. Listing commands take -o json.
 * Exit status: 0 done, 1 failed, 2 usage error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ctl.h"
#include "dead.h"
#include "log.h"
#include "notices.h"
#include "qctl.h"
#include "version.h"

struct ctl_cmd {
	const char *word;   /* first word */
	const char *sub;    /* second word, or NULL */
	int (*fn)(int argc, char **argv);
	const char *usage;
	bool lists;         /* a listing: takes -o json|text (ctl_opt_format) */
};

/* The usage of a listing ends with this. */
#define OUT " [-o json|text]"

static const struct ctl_cmd ctl_cmds[] = {
	{ "migrate", NULL, ctl_migrate, "migrate [--dir DIR]", false },
	{ "topics", NULL, ctl_topics,
	  "topics [--partitions N] [--replication-factor N] [--min-insync-replicas N]\n"
	  "                     [--retention TOPIC=DURATION]... [--check] | --list",
	  false },
	{ "ping", NULL, ctl_ping, "ping [--timeout-ms N]", false },
	{ "comune", "add", ctl_comune_add, "comune add ID NAME [--privacy-version V]", false },
	{ "comune", "set", ctl_comune_set,
	  "comune set ID [--name N] [--contact-text T] [--privacy-url U] [--privacy-version V]\n"
	  "                     [--join-keywords CSV] [--leave-keywords CSV] [--topics-keywords CSV]\n"
	  "                     [--help-keywords CSV] [--auto-reply-every SECONDS]\n"
	  "                     [--quiet-start HH:MM] [--quiet-end HH:MM] [--time-zone TZ]\n"
	  "                     [--archive-base-url URL] [--site-origin URL]\n"
	  "                     [--allow-single-urgent yes|no]\n"
	  "                     [--cap-geocodes CODE,...] [--centroid LAT,LON] [--wa-price EUR]", false },
	{ "comune", "list", ctl_comune_list, "comune list" OUT, true },
	{ "channel", "add", ctl_channel_add,
	  "channel add --comune ID --kind whatsapp|telegram --sender ACCOUNT --token-ref REF\n"
	  "                     [--app-secret-ref REF] --welcome TEXT --goodbye TEXT [--rate N]\n"
	  "                     [--template NAME] [--template-lang LANG]\n"
	  "                     whatsapp: [--confirm-template NAME[:LANG]]\n"
	  "                     telegram: [--tg-public-channel @name] [--tg-channel-only]", false },
	{ "channel", "set", ctl_channel_set,
	  "channel set ID [--rate N|default] [--welcome TEXT] [--goodbye TEXT] [--template NAME]\n"
	  "                     [--template-lang LANG] whatsapp: [--display-number DIGITS]\n"
	  "                     telegram: [--bot-username NAME]", false },
	{ "channel", "disable", ctl_channel_disable,
	  "channel disable ID   (no notice is fanned out on it until channel enable)", false },
	{ "channel", "enable", ctl_channel_enable, "channel enable ID", false },
	{ "channel", "list", ctl_channel_list, "channel list [--comune ID]" OUT, true },
	{ "feed", "add", ctl_feed_add,
	  "feed add URL --comuni A,B [--interval SECONDS] [--min-severity Minor|Moderate|Severe|Extreme]\n"
	  "                     [--events EVENT,...]   (a CAP 1.2 alert or an Atom feed of them)", false },
	{ "feed", "list", ctl_feed_list, "feed list" OUT, true },
	{ "feed", "remove", ctl_feed_remove, "feed remove ID", false },
	{ "staff", "add", ctl_staff_add,
	  "staff add --comune ID --login LOGIN --name NAME --role editor|approver|consortium\n"
	  "                     [--password-file FILE] [--alert whatsapp:+39...|telegram:CHAT_ID]\n"
	  "                     [--comuni A,B | --all] [--if-missing]\n"
	  "                     (a console account; the password from FILE or stdin; a consortium\n"
	  "                     person's comuni besides their own; --if-missing: exit 0 and change\n"
	  "                     nothing if the login exists)\n"
	  "  staff add --comune ID --name NAME (--whatsapp NUMBER | --telegram CHAT_ID)\n"
	  "                     (a contact alerted when a CAP alert's draft waits for approval)",
	  false },
	{ "staff", "list", ctl_staff_list, "staff list [--comune ID]" OUT "   (console accounts)",
	  true },
	{ "staff", "disable", ctl_staff_disable,
	  "staff disable --comune ID --login LOGIN   (its sessions end at once)", false },
	{ "staff", "alert", ctl_staff_alert,
	  "staff alert --comune ID --login LOGIN --alert whatsapp:+39...|telegram:CHAT_ID|none\n"
	  "                     (where approval alerts and the person's test sends go)", false },
	{ "staff", "passwd", ctl_staff_passwd,
	  "staff passwd --comune ID --login LOGIN [--password-file FILE]", false },
	{ "staff", "contacts", ctl_staff_contacts, "staff contacts [--comune ID]" OUT
	  "   (the CAP alert contacts)", true },
	{ "topic", "add", ctl_topic_add, "topic add --comune ID SLUG NAME [--keyword KW]", false },
	{ "topic", "list", ctl_topic_list, "topic list --comune ID" OUT, true },
	{ "apikey", "add", ctl_apikey_add,
	  "apikey add --comune ID --name NAME [--role editor|approver|consortium] [--key-file FILE]\n"
	  "                     consortium: --comuni A,B | --all (the comuni it acts for besides its own)",
	  false },
	{ "apikey", "scope", ctl_apikey_scope,
	  "apikey scope ID --comuni A,B | --all   (a consortium key)", false },
	{ "apikey", "revoke", ctl_apikey_revoke, "apikey revoke ID", false },
	{ "apikey", "list", ctl_apikey_list,
	  "apikey list [--comune ID]" OUT "   (names and roles; keys are not stored)", true },
	{ "subscribers", "count", ctl_subscribers_count, "subscribers count [--comune ID]" OUT,
	  true },
	{ "notice", "list", ctl_notice_list,
	  "notice list --comune ID [--status S] [--limit N]" OUT, true },
	{ "notice", "show", ctl_notice_show, "notice show ID [-o json]   (always JSON)", true },
	{ "notice", "cancel", ctl_notice_cancel,
	  "notice cancel ID [--reason TEXT]   (the kill switch: as an approver's cancel,\n"
	  "                     recorded as by \"operator\"; the composer applies it)", false },
	{ "notice", "stats", ctl_notice_stats, "notice stats ID [-o json]   (always JSON)", true },
	{ "dead", "list", ctl_dead_list, "dead list [--limit N]" OUT " [--json]", true },
	{ "dead", "replay", ctl_dead_replay,
	  "dead replay --job ID | --all | [--notice ID] [--comune ID] [--since TIME]\n"
	  "                     [--dry-run]   (TIME in UTC: 2026-11-23 or 2026-11-23T10:00)", false },
	{ "quarantine", "list", ctl_quarantine_list,
	  "quarantine list [--limit N] [--topic T]" OUT " [--json]\n"
	  "                     (oldest first; ID = PARTITION:OFFSET in the quarantine topic;\n"
	  "                      sizes only, never payloads)", true },
	{ "quarantine", "replay", ctl_quarantine_replay,
	  "quarantine replay --id PARTITION:OFFSET | --all [--topic T] [--dry-run]\n"
	  "                     (back to the source topic, acknowledged, recorded; --all: those\n"
	  "                      not replayed yet)", false },
	{ "gdpr", "export", ctl_gdpr_export,
	  "gdpr export NUMBER | --telegram CHAT_ID [--comune ID]", false },
	{ "gdpr", "erase", ctl_gdpr_erase,
	  "gdpr erase NUMBER | --telegram CHAT_ID [--comune ID]\n"
	  "                     [--requested-by WHO (no personal data)] [--yes]\n"
	  "                     (asks to type the number or chat id again, unless --yes;\n"
	  "                      without a terminal, --yes is required)", false },
};
#define CTL_NCMDS (sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static const struct cfg_item ctl_items[] = {
	{ "BND_LOG_LEVEL", CFG_STR, "warn", 0, 0, "debug, info, warn or error (logs go to stderr)", &ctl_cfg.log_level },
	{ "BND_KAFKA_BROKERS", CFG_STR, "127.0.0.1:9092", 0, 0, "Kafka bootstrap servers", &ctl_cfg.kafka_brokers },
	{ "BND_TOPIC_PREFIX", CFG_STR, "", 0, 0, "prefix for every topic name", &ctl_cfg.topic_prefix },
	{ "BND_PG_DSN", CFG_STR, "postgresql://banditore@127.0.0.1:5432/banditore", 0, 0, "PostgreSQL connection string", &ctl_cfg.pg_dsn },
	{ "BND_MIGRATIONS_DIR", CFG_STR, "db/migrations", 0, 0, "folder of the *.sql migrations", &ctl_cfg.migrations_dir },
	CFG_END
};

/* The full usage text. */
static void ctl_print_usage(FILE *f)
{
	fprintf(f, "usage: banditorectl COMMAND ...\n");
	for (size_t i = 0; i < CTL_NCMDS; i++)
		fprintf(f, "  %s\n", ctl_cmds[i].usage);
	fprintf(f, "  help [COMMAND]   this, or one command's usage (also COMMAND --help)\n");
	fprintf(f, "  --version  the version\n");
	fprintf(f, "  --config   list the environment variables\n");
}

/* Finds the command named by argv[1] (and argv[2]); NULL if none. */
static const struct ctl_cmd *ctl_find(int argc, char **argv, int *nwords)
{
	for (size_t i = 0; i < CTL_NCMDS; i++) {
		const struct ctl_cmd *c = &ctl_cmds[i];
		if (strcmp(argv[1], c->word) != 0)
			continue;
		if (c->sub == NULL) {
			*nwords = 1;
			return c;
		}
		if (argc > 2 && strcmp(argv[2], c->sub) == 0) {
			*nwords = 2;
			return c;
		}
	}
	return NULL;
}

/* Commands with more to say on `--help` than their usage line. */
static const struct {
	int (*fn)(int argc, char **argv);
	const char *text;
} ctl_helps[] = {
	{ ctl_quarantine_list, qlist_help },
	{ ctl_quarantine_replay, qreplay_help },
};

/* Prints one command's usage and its longer help, if any, on stdout. */
static void ctl_print_help(const struct ctl_cmd *cmd)
{
	printf("usage: banditorectl %s\n", cmd->usage);
	for (size_t h = 0; h < sizeof(ctl_helps) / sizeof(ctl_helps[0]); h++)
		if (ctl_helps[h].fn == cmd->fn)
			printf("\n%s", ctl_helps[h].text);
}

/* Prints the usage of every command whose first word is word; how many. */
static int ctl_print_word(const char *word)
{
	int n = 0;

	for (size_t i = 0; i < CTL_NCMDS; i++) {
		if (strcmp(ctl_cmds[i].word, word) != 0)
			continue;
		printf("%s banditorectl %s\n", n++ == 0 ? "usage:" : "      ", ctl_cmds[i].usage);
	}
	return n;
}

/* true if arg asks for help (--help, -h). */
static bool ctl_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* `banditorectl COMMAND ... --help`: true (usage and help printed) if an argument asks for it. */
static bool ctl_cmd_help(const struct ctl_cmd *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!ctl_is_help(argv[i]))
			continue;
		ctl_print_help(cmd);
		return true;
	}
	return false;
}

/* `banditorectl help [WORD [SUB]]`, argv[0] being "help": CTL_OK, or
 * CTL_USAGE for a command that does not exist. */
static int ctl_help(int argc, char **argv)
{
	const struct ctl_cmd *cmd;
	int nwords;

	if (argc < 2 || ctl_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		ctl_print_usage(stdout);
		return CTL_OK;
	}
	cmd = ctl_find(argc, argv, &nwords);
	if (cmd != NULL) {
		ctl_print_help(cmd);
		return CTL_OK;
	}
	if (ctl_print_word(argv[1]) > 0)
		return CTL_OK;
	fprintf(stderr, "banditorectl: unknown command \"%s\" (banditorectl help lists them)\n",
	        argv[1]);
	return CTL_USAGE;
}

/* The arguments after the command words, -o json|text taken out for a
 * listing (ctl_format set). CTL_OK or CTL_USAGE (printed). */
static int ctl_args(const struct ctl_cmd *cmd, int *argc, char **argv)
{
	if (!cmd->lists)
		return CTL_OK;
	return ctl_opt_format(argc, argv, &ctl_format);
}

/* Runs cmd with its arguments, results on stdout, logs on stderr. */
static int ctl_run(const struct ctl_cmd *cmd, int argc, char **argv)
{
	char err[512];
	int out_fd, rc;

	if (cfg_load(ctl_items, err, sizeof(err)) != 0) {
		fprintf(stderr, "banditorectl: configuration error: %s\n", err);
		return CTL_USAGE;
	}
	/* Results on stdout, everything the library logs on stderr. */
	out_fd = dup(STDOUT_FILENO);
	ctl_out = out_fd >= 0 ? fdopen(out_fd, "w") : NULL;
	if (ctl_out == NULL || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		perror("banditorectl: stdout");
		return CTL_FAIL;
	}
	log_init("banditorectl", ctl_cfg.log_level);
	rc = cmd->fn(argc, argv);
	if (rc == CTL_USAGE)
		fprintf(stderr, "usage: banditorectl %s\n", cmd->usage);
	if (fclose(ctl_out) != 0 && rc == CTL_OK)
		rc = CTL_FAIL;
	return rc;
}

int main(int argc, char **argv)
{
	const struct ctl_cmd *cmd;
	int nwords = 0, rc;

	if (argc < 2) {
		ctl_print_usage(stderr);
		return CTL_USAGE;
	}
	if (ctl_is_help(argv[1]) || strcmp(argv[1], "help") == 0)
		return ctl_help(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("banditorectl %s\n", bnd_version);
		return CTL_OK;
	}
	if (strcmp(argv[1], "--config") == 0) {
		cfg_print(stdout, ctl_items);
		return CTL_OK;
	}
	cmd = ctl_find(argc, argv, &nwords);
	if (cmd == NULL && argc > 2 && ctl_is_help(argv[2]) && ctl_print_word(argv[1]) > 0)
		return CTL_OK;
	if (cmd == NULL) {
		fprintf(stderr, "banditorectl: unknown command \"%s%s%s\"\n", argv[1],
		        argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
		ctl_print_usage(stderr);
		return CTL_USAGE;
	}
	argc -= nwords;
	argv += nwords;
	if (ctl_cmd_help(cmd, argc, argv))
		return CTL_OK;
	if ((rc = ctl_args(cmd, &argc, argv)) != CTL_OK) {
		fprintf(stderr, "usage: banditorectl %s\n", cmd->usage);
		return rc;
	}
	return ctl_run(cmd, argc, argv);
}
