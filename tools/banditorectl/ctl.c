/* Shared helpers of banditorectl: settings, messages, files, numbers. */
#include "ctl.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "comune_rules.h"
#include "xmalloc.h"

struct ctl_cfg ctl_cfg;
FILE *ctl_out;

/* "banditorectl: <message>" on stderr. */
static void ctl_say(const char *fmt, va_list ap)
{
	fputs("banditorectl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int ctl_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_say(fmt, ap);
	va_end(ap);
	return CTL_USAGE;
}

int ctl_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_say(fmt, ap);
	va_end(ap);
	return CTL_FAIL;
}

int ctl_read_topic(const char *topic, kq_scan_cb cb, void *arg)
{
	char err[512];

	if (kq_scan(ctl_cfg.kafka_brokers, "banditorectl", topic, CTL_KAFKA_TIMEOUT_MS, cb, arg,
	            err, sizeof(err)) != 0)
		return ctl_fail("%s", err);
	return CTL_OK;
}

struct db *ctl_db(void)
{
	struct db *db = db_new(ctl_cfg.pg_dsn);

	db_set_timeout(db, 600000);   /* an operator's command may scan a lot: 10 minutes */
	if (!db_ensure(db)) {
		ctl_fail("cannot connect to PostgreSQL (BND_PG_DSN)");
		db_free(db);
		return NULL;
	}
	return db;
}

char *ctl_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

int ctl_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int ctl_parse_time(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	const char *end;
	time_t t;

	end = strptime(s, "%Y-%m-%d", &tm);
	if (end != NULL && (*end == 'T' || *end == ' ') && end[1] != '\0') {
		const char *hm = strptime(end + 1, "%H:%M", &tm);
		end = hm != NULL && *hm == ':' ? strptime(hm + 1, "%S", &tm) : hm;
	}
	if (end != NULL && *end == 'Z')
		end++;
	if (end == NULL || *end != '\0' || strlen(s) < 10)
		return -1;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000;
	return 0;
}

void ctl_time_utc(int64_t ms, char out[CTL_TIME_LEN])
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(out, CTL_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

PGresult *ctl_query(const char *sql, int n, const char *const *params)
{
	struct db *db = ctl_db();
	PGresult *res;

	if (db == NULL)
		return NULL;
	res = db_exec(db, sql, n, params);
	db_free(db);
	return res;
}

/* 1 if comune id exists, 0 if not (message printed), -1 on failure. */
static int ctl_comune_exists(struct db *db, const char *id)
{
	const char *params[1] = { id };
	PGresult *res = db_exec(db, "SELECT 1 FROM comuni WHERE id = $1", 1, params);
	int found;

	if (res == NULL) {
		ctl_fail("could not read the comuni");
		return -1;
	}
	found = PQntuples(res) > 0;
	PQclear(res);
	if (!found)
		ctl_fail("no comune \"%s\" (see banditorectl comune list)", id);
	return found;
}

struct db *ctl_db_comune(const char *comune)
{
	struct db *db = ctl_db();

	if (db != NULL && comune != NULL && ctl_comune_exists(db, comune) != 1) {
		db_free(db);
		return NULL;
	}
	return db;
}

/* One keyword's rule lives in common/comune_rules.c (the API uses it too). */
int ctl_keyword_fold(const char *word, size_t len, char out[33])
{
	return crule_keyword_fold(word, len, out);
}

char *ctl_keywords_array(const char *csv)
{
	size_t cap = strlen(csv) * 2 + 3, n = 1;
	char *arr = xmalloc(cap), word[33];

	arr[0] = '{';
	for (const char *p = csv; *p != '\0';) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (ctl_keyword_fold(p, len, word) != 0) {
			ctl_fail("\"%.*s\" is not a keyword (one word, 1-32 letters or digits)",
			         (int)len, p);
			free(arr);
			return NULL;
		}
		/* Already listed? Compare with ",WORD," in the array so far. */
		arr[n] = '\0';
		char *hit = strstr(arr, word);
		size_t wl = strlen(word);
		bool dup = false;
		for (; hit != NULL && !dup; hit = strstr(hit + 1, word))
			dup = (hit[-1] == '{' || hit[-1] == ',') && (hit[wl] == ',' || hit[wl] == '\0');
		if (!dup) {
			if (n > 1)
				arr[n++] = ',';
			memcpy(arr + n, word, wl);
			n += wl;
		}
		p = comma ? comma + 1 : p + len;
	}
	arr[n++] = '}';
	arr[n] = '\0';
	return arr;
}

int ctl_opt_comune(int argc, char **argv, const char **comune)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'c')
			return CTL_USAGE;
		*comune = optarg;
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	return CTL_OK;
}

int ctl_list_query(int argc, char **argv, const char *sql, const char *what, PGresult **res)
{
	const char *comune = NULL;
	struct db *db;
	int rc = ctl_opt_comune(argc, argv, &comune);

	if (rc != CTL_OK)
		return rc;
	if ((db = ctl_db_comune(comune)) == NULL)
		return CTL_FAIL;
	const char *params[1] = { comune };
	*res = db_exec(db, sql, 1, params);
	db_free(db);
	return *res != NULL ? CTL_OK : ctl_fail("could not list %s", what);
}
