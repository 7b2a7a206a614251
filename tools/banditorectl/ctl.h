/*
 * banditorectl: the admin command line (migrations, topics, comuni,
 * channels, API keys, counts). Each subcommand is a function taking the
 * arguments after the command word(s) (argv[0] is the subcommand) and
 * returning an exit status: CTL_OK, CTL_FAIL or CTL_USAGE.
 * Results go to ctl_out (stdout); messages and logs go to stderr.
 */
#ifndef BND_CTL_H
#define BND_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "channel_kind.h"
#include "db.h"
#include "kafka_scan.h"
#include "phone.h"

enum { CTL_OK = 0, CTL_FAIL = 1, CTL_USAGE = 2 };

struct ctl_cfg {
	char *log_level;
	char *kafka_brokers;
	char *topic_prefix;
	char *pg_dsn;
	char *migrations_dir;
};

extern struct ctl_cfg ctl_cfg;
extern FILE *ctl_out;

/* How a listing prints (out.c): tab-separated lines under a header, or a
 * JSON array of objects. main sets ctl_format for the listing commands. */
enum ctl_format { CTL_FORMAT_TEXT, CTL_FORMAT_JSON };
extern enum ctl_format ctl_format;
/* Takes -o json|text (-ojson, -o=json, --output[=]json) and --json out of
 * argv[1..*argc) (up to a "--"), the last one given setting *fmt (text if
 * none); *argc shrinks. CTL_OK or CTL_USAGE (printed). */
int ctl_opt_format(int *argc, char **argv, enum ctl_format *fmt)
    __attribute__((warn_unused_result));
/* Prints a query's rows as ctl_format says, cols naming the columns (the
 * header, the JSON keys). In JSON, integers and booleans are numbers and
 * booleans, NULL is null, the rest strings. CTL_OK or CTL_FAIL (printed:
 * a text that is not UTF-8). */
int ctl_rows_print(PGresult *res, const char *const *cols) __attribute__((warn_unused_result));

/* Prints why the command line is wrong; returns CTL_USAGE (main then
 * prints the command's usage). */
int ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "banditorectl: <msg>" on stderr; returns CTL_FAIL. */
int ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a command whose only option is an optional --comune ID (no
 * arguments): CTL_OK with *comune set (or left NULL), else CTL_USAGE. */
int ctl_opt_comune(int argc, char **argv, const char **comune);

/* A list command: ctl_opt_comune, then sql run with the comune (or NULL)
 * as $1 once the comune, if given, is checked to exist. CTL_OK with *res
 * (the caller clears it), else the status to return (on a failed query,
 * "could not list <what>" printed). */
int ctl_list_query(int argc, char **argv, const char *sql, const char *what, PGresult **res);
/* Connects to BND_PG_DSN; NULL (message printed) if that fails. */
struct db *ctl_db(void);
/* ctl_db(), with comune (if not NULL) checked to exist; NULL (message
 * printed) if either fails. */
struct db *ctl_db_comune(const char *comune);
/* Whole file as a NUL-terminated string (caller frees), or NULL with errno. */
char *ctl_read_file(const char *path, size_t *len);
/* Parses a decimal integer in [min, max]; 0 or -1. */
int ctl_parse_long(const char *s, long min, long max, long *out)
    __attribute__((warn_unused_result));
/* Parses a UTC time, "2026-11-23", "2026-11-23T10:59", "2026-11-23T10:59:31"
 * (a trailing 'Z' allowed, a space for the 'T'), into Unix ms; 0 or -1. */
int ctl_parse_time(const char *s, int64_t *ms) __attribute__((warn_unused_result));
/* A Unix time in ms as UTC ISO 8601: "2026-11-23T10:59:31.123Z". */
#define CTL_TIME_LEN 48
void ctl_time_utc(int64_t ms, char out[CTL_TIME_LEN]);
/* Runs one statement on a fresh connection; NULL on failure (logged). */
PGresult *ctl_query(const char *sql, int n, const char *const *params)
    __attribute__((warn_unused_result));
/*
 * Folds a comma-separated keyword list ("Attiva, iscrivimi") into a
 * PostgreSQL array literal of single words ("{ATTIVA,ISCRIVIMI}"): upper
 * case, Italian accents removed, blanks trimmed, duplicates kept out.
 * Empty csv = "{}" (the defaults). Caller frees; NULL (message printed)
 * if a keyword is not one word of 1-32 letters or digits.
 */
char *ctl_keywords_array(const char *csv);
/* Folds one keyword into out (upper case, no accents, trimmed);
 * 0, or -1 if it is not one word of 1-32 letters or digits. */
int ctl_keyword_fold(const char *word, size_t len, char out[33])
    __attribute__((warn_unused_result));

/* The arguments of `gdpr export|erase (NUMBER | --telegram CHAT_ID)
 * [--comune ID] [--requested-by WHO] [--yes]`. */
struct ctl_gdpr_args {
	char address[32];            /* E.164 number, or a Telegram chat id (digits) */
	channel_kind kind;           /* the channels it is an address on: WhatsApp or Telegram */
	const char *comune;          /* NULL: every comune */
	const char *requested_by;    /* erase: who asked (no personal data) */
	bool yes;                    /* erase: confirmed on the command line */
};
/* Parses them (a number normalized); CTL_OK or CTL_USAGE. */
int ctl_gdpr_args(int argc, char **argv, struct ctl_gdpr_args *ga)
    __attribute__((warn_unused_result));

/* Announces the erased subscriptions (rows: id, channel id, kind,
 * comune) on consent.changes; 0, or -1 (message printed). */
int ctl_gdpr_announce(PGresult *subs, const char *address)
    __attribute__((warn_unused_result));

/* A consortium key's scope (apikey_scope.c): every comune, or a list. */
struct ctl_scope {
	bool  all;
	char *comuni;   /* PostgreSQL array literal: "{a,b}", "{}" with all */
};
/* From --comuni CSV (or NULL) and --all for role: the consortium role
 * needs exactly one, the others neither. CTL_OK or CTL_USAGE (printed). */
int ctl_scope_parse(const char *role, const char *csv, bool all, struct ctl_scope *out)
    __attribute__((warn_unused_result));
void ctl_scope_free(struct ctl_scope *s);
/* CTL_OK if every comune listed exists, else CTL_FAIL (printed). */
int ctl_scope_check(const struct ctl_scope *s) __attribute__((warn_unused_result));

int ctl_migrate(int argc, char **argv);
/* Every Kafka topic of a stack, without its prefix (NULL-terminated). */
extern const char *const ctl_kafka_topics[];
/* Waits at most this long for Kafka to say anything (metadata, a message, an end). */
#define CTL_KAFKA_TIMEOUT_MS 10000
/* Reads a whole Kafka topic (full name, prefix included) with kq_scan(),
 * for the commands that inspect one (dead list, quarantine list/replay).
 * CTL_OK, or CTL_FAIL (message printed). */
int ctl_read_topic(const char *topic, kq_scan_cb cb, void *arg)
    __attribute__((warn_unused_result));

int ctl_topics(int argc, char **argv);
int ctl_ping(int argc, char **argv);
int ctl_comune_add(int argc, char **argv);
int ctl_channel_add(int argc, char **argv);
int ctl_apikey_add(int argc, char **argv);
int ctl_apikey_revoke(int argc, char **argv);
int ctl_apikey_list(int argc, char **argv);
int ctl_apikey_scope(int argc, char **argv);
int ctl_subscribers_count(int argc, char **argv);
int ctl_comune_set(int argc, char **argv);
int ctl_comune_list(int argc, char **argv);
int ctl_channel_list(int argc, char **argv);
/* channel_set.c: change a channel's settings; stop or restart fanning out notices on it. */
int ctl_channel_set(int argc, char **argv);
int ctl_channel_disable(int argc, char **argv);
int ctl_channel_enable(int argc, char **argv);
/* feed.c: the CAP feeds banditore-feeds polls. */
int ctl_feed_add(int argc, char **argv);
int ctl_feed_list(int argc, char **argv);
int ctl_feed_remove(int argc, char **argv);
/* staff.c: whom to alert of drafts from CAP alerts. */
int ctl_staff_add(int argc, char **argv);
int ctl_staff_list(int argc, char **argv);
int ctl_staff_contacts(int argc, char **argv);
int ctl_staff_account_add(int argc, char **argv);
int ctl_staff_disable(int argc, char **argv);
int ctl_staff_passwd(int argc, char **argv);
int ctl_staff_alert(int argc, char **argv);
int ctl_topic_add(int argc, char **argv);
int ctl_topic_list(int argc, char **argv);
int ctl_gdpr_export(int argc, char **argv);
int ctl_gdpr_erase(int argc, char **argv);

#endif
