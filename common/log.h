/*
 * JSON-lines logging to stdout: one object per line with ts, level,
 * service, event and msg. The level is tested before anything is
 * formatted. Never pass a phone number: use phone_redact() first.
 */
#ifndef BND_LOG_H
#define BND_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the service name and the minimum level ("debug".."error"). */
void log_init(const char *service, const char *level);
bool log_enabled(enum log_level level);
/* The service named at log_init ("banditore" before). */
const char *log_service_name(void);
/*
 * Fields of a line besides msg, as JSON members ("notice_id", "job_id",
 * "comune", "channel", ...), so that a log store can search them without
 * parsing msg. Built on the stack, then passed to log_*_f:
 *   struct log_fields f = LOG_FIELDS_INIT;
 *   lf_str(&f, "notice_id", id);  lf_int(&f, "channel", ch);
 *   log_info_f("fanout.done", &f, "%d jobs", n);
 * Keys are the caller's constants (never ts, level, service, event, msg);
 * values are escaped. What does not fit (LOG_FIELDS_MAX) is left out whole.
 */
#define LOG_FIELDS_MAX 512
struct log_fields {
	char   buf[LOG_FIELDS_MAX];   /* ,"k":v,"k":v */
	size_t len;
};
#define LOG_FIELDS_INIT { { 0 }, 0 }
void lf_str(struct log_fields *f, const char *key, const char *val);
void lf_int(struct log_fields *f, const char *key, long long val);

/* event: a short dotted name ("kafka.produce_failed"); msg: printf. */
void log_write(enum log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* log_write with fields (NULL: none). */
void log_write_f(enum log_level level, const char *event, const struct log_fields *f,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define log_debug(ev, ...) do { if (log_enabled(LOG_DEBUG)) log_write(LOG_DEBUG, ev, __VA_ARGS__); } while (0)
#define log_info(ev, ...)  do { if (log_enabled(LOG_INFO))  log_write(LOG_INFO, ev, __VA_ARGS__); } while (0)
#define log_warn(ev, ...)  do { if (log_enabled(LOG_WARN))  log_write(LOG_WARN, ev, __VA_ARGS__); } while (0)
#define log_error(ev, ...) do { if (log_enabled(LOG_ERROR)) log_write(LOG_ERROR, ev, __VA_ARGS__); } while (0)

#define log_debug_f(ev, f, ...) do { if (log_enabled(LOG_DEBUG)) log_write_f(LOG_DEBUG, ev, f, __VA_ARGS__); } while (0)
#define log_info_f(ev, f, ...)  do { if (log_enabled(LOG_INFO))  log_write_f(LOG_INFO, ev, f, __VA_ARGS__); } while (0)
#define log_warn_f(ev, f, ...)  do { if (log_enabled(LOG_WARN))  log_write_f(LOG_WARN, ev, f, __VA_ARGS__); } while (0)
#define log_error_f(ev, f, ...) do { if (log_enabled(LOG_ERROR)) log_write_f(LOG_ERROR, ev, f, __VA_ARGS__); } while (0)

#endif
