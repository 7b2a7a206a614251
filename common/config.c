/* Configuration tables read from the environment. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "version.h"
#include "xmalloc.h"

/* Parses a boolean the way people write them in env files. */
static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, 0;
	}
	return -1;
}

/* Stores one item's text value into its destination. */
static int cfg_set(const struct cfg_item *it, const char *v, char *err, size_t errlen)
{
	char *end;
	long n;

	switch (it->type) {
	case CFG_STR:
		free(*(char **)it->dst);
		*(char **)it->dst = xstrdup(v);
		return 0;
	case CFG_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < it->min || n > it->max) {
			snprintf(err, errlen, "%s must be an integer from %ld to %ld (got \"%s\")",
			         it->name, it->min, it->max, v);
			return -1;
		}
		*(long *)it->dst = n;
		return 0;
	case CFG_BOOL:
		if (parse_bool(v, (bool *)it->dst) != 0) {
			snprintf(err, errlen, "%s must be true or false (got \"%s\")", it->name, v);
			return -1;
		}
		return 0;
	}
	return -1;
}

int cfg_load(const struct cfg_item *items, char *err, size_t errlen)
{
	for (const struct cfg_item *it = items; it->name != NULL; it++) {
		const char *v = getenv(it->name);
		if (v == NULL)
			v = it->def;
		if (v == NULL) {
			snprintf(err, errlen, "%s is required (%s)", it->name, it->help);
			return -1;
		}
		if (cfg_set(it, v, err, errlen) != 0)
			return -1;
	}
	return 0;
}

void cfg_print(FILE *out, const struct cfg_item *items)
{
	static const char *const types[] = { "string", "integer", "boolean" };
	fprintf(out, "| variable | type | default | meaning |\n|---|---|---|---|\n");
	for (const struct cfg_item *it = items; it->name != NULL; it++)
		fprintf(out, "| `%s` | %s | %s%s%s | %s |\n", it->name, types[it->type],
		        it->def ? "`" : "", it->def ? (*it->def ? it->def : "(empty)") : "required",
		        it->def ? "`" : "", it->help);
}

void cfg_main(int argc, char **argv, const char *service,
              const struct cfg_item *items)
{
	char err[512];

	version_main(argc, argv, service);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			cfg_print(stdout, items);
			exit(0);
		}
		fprintf(stderr, "usage: %s [--config | --version]\n"
		        "Configured by environment variables; --config lists them.\n", argv[0]);
		exit(strcmp(argv[i], "--help") == 0 ? 0 : 2);
	}
	if (cfg_load(items, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: configuration error: %s\n", service, err);
		exit(2);
	}
}
