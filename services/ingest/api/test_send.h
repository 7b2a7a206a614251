/*
 * POST /api/v1/notices/{id}/test-send, "Invia una prova a me": the
 * notice's current version, rendered exactly as citizens get it
 * (preview.h) but with its title prefixed "[PROVA] ", sent to the
 * caller's own alert address only (staff.alert_kind / alert_address),
 * from the comune's channel of that kind, as one job on
 * delivery.jobs.urgent (common/staff_alert.h). A console session only: an
 * API key is no person (422 no_alert_address). Draft, submitted and
 * rejected notices; TEST_SEND_MAX per person in TEST_SEND_WINDOW (429);
 * each press is recorded in the notice's history (action test_send, by
 * whom, never where to) and is a new job.
 */
#ifndef BND_TEST_SEND_H
#define BND_TEST_SEND_H

#include <stddef.h>

#include "core/route.h"

#define TEST_SEND_MAX 5
#define TEST_SEND_WINDOW "10 minutes"
#define TEST_SEND_PREFIX "[PROVA] "

void test_send_handle(struct ingest *ing, struct evhttp_request *req,
                      const struct route_args *ra);
/* The test's title into out: TEST_SEND_PREFIX + title, cut between
 * characters to fit. */
void test_send_title(char *out, size_t size, const char *title);
/* Whether a notice in status may be test-sent. */
int test_send_allowed(const char *status);

#endif
