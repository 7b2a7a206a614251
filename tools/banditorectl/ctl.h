/*
 * banditorectl: the admin command line (migrations, topics, comuni,
 * channels, API keys, counts). Each subcommand is a function taking the
 * arguments after the command word(s) (argv[0] is the subcommand) and
 * returning an exit status: CTL_OK, CTL_FAIL or CTL_USAGE.
 * Results go to ctl_out (stdout); messages and logs go to stderr.
 */
#ifndef BND_CTL_H
#define BND_CTL_H

#include <stddef.h>
#include <stdio.h>

#include "db.h"

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

/* Prints why the command line is wrong; returns CTL_USAGE (main then
 * prints the command's usage). */
int ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "banditorectl: <msg>" on stderr; returns CTL_FAIL. */
int ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Connects to BND_PG_DSN; NULL (message printed) if that fails. */
struct db *ctl_db(void);
/* Whole file as a NUL-terminated string (caller frees), or NULL with errno. */
char *ctl_read_file(const char *path, size_t *len);
/* Parses a decimal integer in [min, max]; 0 or -1. */
int ctl_parse_long(const char *s, long min, long max, long *out)
    __attribute__((warn_unused_result));

int ctl_migrate(int argc, char **argv);
int ctl_topics(int argc, char **argv);
int ctl_ping(int argc, char **argv);
int ctl_comune_add(int argc, char **argv);
int ctl_channel_add(int argc, char **argv);
int ctl_apikey_add(int argc, char **argv);
int ctl_apikey_revoke(int argc, char **argv);
int ctl_subscribers_count(int argc, char **argv);

#endif
