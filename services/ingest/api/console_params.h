/*
 * The console's query parameters, checked: pure functions (no I/O), unit
 * tested (tests/unit/ingest/test_console_params.c). Each returns 0, or -1
 * with err filled for the 400 (editor_error.h).
 */
#ifndef BND_CONSOLE_PARAMS_H
#define BND_CONSOLE_PARAMS_H

#include <stdbool.h>

#include "pgarr.h"
#include "api/editor_error.h"

#define CONSOLE_DAYS_DEFAULT 30
#define CONSOLE_DAYS_MAX 366

/*
 * topics=a,b (NULL or "" = none): the notice's topics as the editors' API
 * takes them (1 to 64 characters on one line, distinct, at most 32),
 * added to arr.
 */
int console_topics_parse(const char *s, struct pgarr *arr, struct editor_error *err)
    __attribute__((warn_unused_result));
/*
 * channels=whatsapp,telegram (NULL or "" = every channel): the notice's
 * channel targets (whatsapp, telegram, telegram_channel), distinct, added
 * to arr.
 */
int console_channels_parse(const char *s, struct pgarr *arr, struct editor_error *err)
    __attribute__((warn_unused_result));
/* days=N: 1 to CONSOLE_DAYS_MAX; NULL = CONSOLE_DAYS_DEFAULT. */
int console_days_parse(const char *s, int *days, struct editor_error *err)
    __attribute__((warn_unused_result));
/* at=<RFC 3339>: Unix ms; NULL = now_ms. A space where the offset's '+'
 * goes (an unencoded '+' in a query string) counts as '+'. */
int console_at_parse(const char *s, long long now_ms, long long *at_ms, struct editor_error *err)
    __attribute__((warn_unused_result));
/* channel=whatsapp|telegram into *kind (required). */
int console_kind_parse(const char *s, char kind[16], struct editor_error *err)
    __attribute__((warn_unused_result));

#endif
