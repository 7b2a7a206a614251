/* JSON-lines logger. One write(2) per line so lines from threads never mix. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"

static const char *log_service = "banditore";
static enum log_level log_min = LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

const char *log_service_name(void)
{
	return log_service;
}

void log_init(const char *service, const char *level)
{
	log_service = service;
	for (int i = 0; level != NULL && i < 4; i++)
		if (strcmp(level, level_names[i]) == 0)
			log_min = (enum log_level)i;
}

bool log_enabled(enum log_level level)
{
	return level >= log_min;
}

/* Appends s JSON-escaped to buf at *pos, never past cap (leaves room for
 * NUL), whole characters only; an invalid byte becomes U+FFFD. false if s
 * was cut short. */
static bool json_escape(char *buf, size_t cap, size_t *pos, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);

	while (left > 0 && *pos + 7 < cap) {
		size_t n = utf8_seq(p, left);
		unsigned char c = *p;
		if (n == 0) {
			memcpy(buf + *pos, UTF8_REPLACEMENT, 3);
			*pos += 3;
			n = 1;
		} else if (n > 1) {
			memcpy(buf + *pos, p, n);
			*pos += n;
		} else if (c == '"' || c == '\\') {
			buf[(*pos)++] = '\\';
			buf[(*pos)++] = (char)c;
		} else if (c == '\n') {
			buf[(*pos)++] = '\\';
			buf[(*pos)++] = 'n';
		} else if (c < 0x20) {
			*pos += (size_t)snprintf(buf + *pos, cap - *pos, "\\u%04x", c);
		} else {
			buf[(*pos)++] = (char)c;
		}
		p += n;
		left -= n;
	}
	return left == 0;
}

/* Appends ,"key": and the value (already JSON) to f if the whole fits. */
static void lf_add(struct log_fields *f, const char *key, const char *json)
{
	char tmp[LOG_FIELDS_MAX];
	size_t pos = 0;

	tmp[pos++] = ',';
	tmp[pos++] = '"';
	json_escape(tmp, sizeof(tmp) - 4, &pos, key);
	tmp[pos++] = '"';
	tmp[pos++] = ':';
	pos += (size_t)snprintf(tmp + pos, sizeof(tmp) - pos, "%s", json);
	if (pos >= sizeof(tmp) || f->len + pos >= sizeof(f->buf))
		return;
	memcpy(f->buf + f->len, tmp, pos);
	f->len += pos;
	f->buf[f->len] = '\0';
}

void lf_str(struct log_fields *f, const char *key, const char *val)
{
	char json[LOG_FIELDS_MAX - 64];
	size_t pos = 0;

	json[pos++] = '"';
	if (!json_escape(json, sizeof(json) - 4, &pos, val != NULL ? val : ""))
		return;   /* a value cut short would mislead: left out */
	json[pos++] = '"';
	json[pos] = '\0';
	lf_add(f, key, json);
}

void lf_int(struct log_fields *f, const char *key, long long val)
{
	char json[24];

	snprintf(json, sizeof(json), "%lld", val);
	lf_add(f, key, json);
}

/* Formats and writes one line: fields f (or NULL) after msg. */
static void log_vwrite(enum log_level level, const char *event, const struct log_fields *f,
                       const char *fmt, va_list ap)
{
	char msg[2048], line[4608 + LOG_FIELDS_MAX], ts[40];
	struct timeval tv;
	struct tm tm;
	size_t pos = 0;

	utf8_vformat(msg, sizeof(msg), fmt, ap);   /* a citizen's or provider's text may be anything */

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	pos = (size_t)snprintf(line, sizeof(line),
	                       "{\"ts\":\"%s.%03ldZ\",\"level\":\"%s\",\"service\":\"%s\",\"event\":\"",
	                       ts, (long)tv.tv_usec / 1000, level_names[level], log_service);
	json_escape(line, sizeof(line) - 4 - LOG_FIELDS_MAX, &pos, event);
	pos += (size_t)snprintf(line + pos, sizeof(line) - pos, "\",\"msg\":\"");
	json_escape(line, sizeof(line) - 4 - LOG_FIELDS_MAX, &pos, msg);
	line[pos++] = '"';
	if (f != NULL && f->len > 0) {
		memcpy(line + pos, f->buf, f->len);
		pos += f->len;
	}
	memcpy(line + pos, "}\n", 2);
	pos += 2;
	if (write(STDOUT_FILENO, line, pos) < 0) {
		/* Nowhere left to report it. */
	}
}

void log_write(enum log_level level, const char *event, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(level, event, NULL, fmt, ap);
	va_end(ap);
}

void log_write_f(enum log_level level, const char *event, const struct log_fields *f,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(level, event, f, fmt, ap);
	va_end(ap);
}
