/*
 * JSON-lines logging to stdout: one object per line with ts, level,
 * service, event and msg. The level is tested before anything is
 * formatted. Never pass a phone number: use phone_redact() first.
 */
#ifndef BND_LOG_H
#define BND_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the service name and the minimum level ("debug".."error"). */
void log_init(const char *service, const char *level);
bool log_enabled(enum log_level level);
/* The service named at log_init ("banditore" before). */
const char *log_service_name(void);
/* event: a short dotted name ("kafka.produce_failed"); msg: printf. */
void log_write(enum log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(ev, ...) do { if (log_enabled(LOG_DEBUG)) log_write(LOG_DEBUG, ev, __VA_ARGS__); } while (0)
#define log_info(ev, ...)  do { if (log_enabled(LOG_INFO))  log_write(LOG_INFO, ev, __VA_ARGS__); } while (0)
#define log_warn(ev, ...)  do { if (log_enabled(LOG_WARN))  log_write(LOG_WARN, ev, __VA_ARGS__); } while (0)
#define log_error(ev, ...) do { if (log_enabled(LOG_ERROR)) log_write(LOG_ERROR, ev, __VA_ARGS__); } while (0)

#endif
