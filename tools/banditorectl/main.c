/*
 * banditorectl: admin command line. Configured like the services, by
 * environment variables (BND_PG_DSN, BND_KAFKA_BROKERS, BND_TOPIC_PREFIX,
 * BND_MIGRATIONS_DIR, BND_LOG_LEVEL); `banditorectl --config` lists them.
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

struct ctl_cmd {
	const char *word;   /* first word */
	const char *sub;    /* second word, or NULL */
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static const struct ctl_cmd ctl_cmds[] = {
	{ "migrate", NULL, ctl_migrate, "migrate [--dir DIR]" },
	{ "topics", NULL, ctl_topics, "topics [--partitions N] [--list]" },
	{ "ping", NULL, ctl_ping, "ping [--timeout-ms N]" },
	{ "comune", "add", ctl_comune_add, "comune add ID NAME [--privacy-version V]" },
	{ "comune", "set", ctl_comune_set,
	  "comune set ID [--name N] [--contact-text T] [--privacy-url U] [--privacy-version V]\n"
	  "                     [--join-keywords CSV] [--leave-keywords CSV] [--topics-keywords CSV]\n"
	  "                     [--help-keywords CSV] [--auto-reply-every SECONDS]\n"
	  "                     [--quiet-start HH:MM] [--quiet-end HH:MM] [--time-zone TZ]\n"
	  "                     [--archive-base-url URL] [--site-origin URL]\n"
	  "                     [--allow-single-urgent yes|no]" },
	{ "comune", "list", ctl_comune_list, "comune list" },
	{ "channel", "add", ctl_channel_add,
	  "channel add --comune ID --kind whatsapp|telegram --sender ACCOUNT --token-ref REF\n"
	  "                     [--app-secret-ref REF] --welcome TEXT --goodbye TEXT [--rate N]\n"
	  "                     [--template NAME] [--template-lang LANG]\n"
	  "                     whatsapp: [--confirm-template NAME[:LANG]]\n"
	  "                     telegram: [--tg-public-channel @name] [--tg-channel-only]" },
	{ "channel", "list", ctl_channel_list, "channel list [--comune ID]" },
	{ "topic", "add", ctl_topic_add, "topic add --comune ID SLUG NAME [--keyword KW]" },
	{ "topic", "list", ctl_topic_list, "topic list --comune ID" },
	{ "apikey", "add", ctl_apikey_add,
	  "apikey add --comune ID --name NAME [--role editor|approver|consortium] [--key-file FILE]\n"
	  "                     consortium: --comuni A,B | --all (the comuni it acts for besides its own)" },
	{ "apikey", "scope", ctl_apikey_scope, "apikey scope ID --comuni A,B | --all   (a consortium key)" },
	{ "apikey", "revoke", ctl_apikey_revoke, "apikey revoke ID" },
	{ "apikey", "list", ctl_apikey_list, "apikey list [--comune ID]   (names and roles; keys are not stored)" },
	{ "subscribers", "count", ctl_subscribers_count, "subscribers count [--comune ID]" },
	{ "notice", "list", ctl_notice_list, "notice list --comune ID [--status S] [--limit N]" },
	{ "notice", "show", ctl_notice_show, "notice show ID" },
	{ "notice", "stats", ctl_notice_stats, "notice stats ID" },
	{ "dead", "list", ctl_dead_list, "dead list [--limit N] [--json]" },
	{ "dead", "replay", ctl_dead_replay, "dead replay --job ID | --all" },
	{ "quarantine", "list", ctl_quarantine_list,
	  "quarantine list [--limit N] [--topic T] [-o json|text] [--json]\n"
	  "                     (oldest first; ID = PARTITION:OFFSET in the quarantine topic;\n"
	  "                      sizes only, never payloads)" },
	{ "quarantine", "replay", ctl_quarantine_replay,
	  "quarantine replay --id PARTITION:OFFSET | --all [--topic T] [--dry-run]\n"
	  "                     (back to the source topic, acknowledged, recorded; --all: those\n"
	  "                      not replayed yet)" },
	{ "gdpr", "export", ctl_gdpr_export,
	  "gdpr export NUMBER | --telegram CHAT_ID [--comune ID]" },
	{ "gdpr", "erase", ctl_gdpr_erase,
	  "gdpr erase NUMBER | --telegram CHAT_ID [--comune ID]\n"
	  "                     [--requested-by WHO (no personal data)]" },
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

/* `banditorectl COMMAND ... --help`: true (usage and help printed) if an argument asks for it. */
static bool ctl_cmd_help(const struct ctl_cmd *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") != 0 && strcmp(argv[i], "-h") != 0)
			continue;
		printf("usage: banditorectl %s\n", cmd->usage);
		for (size_t h = 0; h < sizeof(ctl_helps) / sizeof(ctl_helps[0]); h++)
			if (ctl_helps[h].fn == cmd->fn)
				printf("\n%s", ctl_helps[h].text);
		return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	const struct ctl_cmd *cmd;
	char err[512];
	int nwords = 0, out_fd;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		ctl_print_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CTL_USAGE : CTL_OK;
	}
	if (strcmp(argv[1], "--config") == 0) {
		cfg_print(stdout, ctl_items);
		return CTL_OK;
	}
	cmd = ctl_find(argc, argv, &nwords);
	if (cmd == NULL) {
		fprintf(stderr, "banditorectl: unknown command \"%s%s%s\"\n", argv[1],
		        argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
		ctl_print_usage(stderr);
		return CTL_USAGE;
	}
	if (ctl_cmd_help(cmd, argc - nwords, argv + nwords))
		return CTL_OK;
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
	int rc = cmd->fn(argc - nwords, argv + nwords);
	if (rc == CTL_USAGE)
		fprintf(stderr, "usage: banditorectl %s\n", cmd->usage);
	if (fclose(ctl_out) != 0 && rc == CTL_OK)
		rc = CTL_FAIL;
	return rc;
}
