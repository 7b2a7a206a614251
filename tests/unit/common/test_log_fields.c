/* Log lines carry fields as JSON members of their own (log.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* The one line written by the log call in between, parsed (caller decrefs). */
static json_t *captured(int fds[2], int saved)
{
	char buf[8192];
	ssize_t n;

	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strchr(buf, '\n'));
	return json_loads(buf, 0, NULL);
}

/* Redirects stdout into a pipe; returns the saved stdout. */
static int capture(int fds[2])
{
	int saved = dup(STDOUT_FILENO);

	assert_int_equal(pipe(fds), 0);
	dup2(fds[1], STDOUT_FILENO);
	close(fds[1]);
	return saved;
}

static void test_fields_are_members(void **state)
{
	struct log_fields f = LOG_FIELDS_INIT;
	int fds[2], saved;
	json_t *line;
	(void)state;

	lf_str(&f, "notice_id", "6e410a81-9d38-436f-a0bc-de45e220e850");
	lf_str(&f, "comune", "val \"di\" sotto\n");
	lf_int(&f, "channel", 42);
	saved = capture(fds);
	log_info_f("fanout.done", &f, "notice %s fanned out", "x");
	line = captured(fds, saved);
	assert_non_null(line);
	assert_string_equal(json_string_value(json_object_get(line, "event")), "fanout.done");
	assert_string_equal(json_string_value(json_object_get(line, "msg")), "notice x fanned out");
	assert_string_equal(json_string_value(json_object_get(line, "notice_id")),
	                    "6e410a81-9d38-436f-a0bc-de45e220e850");
	assert_string_equal(json_string_value(json_object_get(line, "comune")), "val \"di\" sotto\n");
	assert_int_equal(json_integer_value(json_object_get(line, "channel")), 42);
	json_decref(line);
}

static void test_too_much_left_out_whole(void **state)
{
	struct log_fields f = LOG_FIELDS_INIT;
	char big[LOG_FIELDS_MAX];
	int fds[2], saved;
	json_t *line;
	(void)state;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	lf_str(&f, "job_id", "notice:1:2:3");
	lf_str(&f, "huge", big);   /* does not fit: not written at all */
	saved = capture(fds);
	log_write_f(LOG_WARN, "dispatch.dead", &f, "%s", "gave up");
	line = captured(fds, saved);
	assert_non_null(line);   /* still one valid object */
	assert_string_equal(json_string_value(json_object_get(line, "job_id")), "notice:1:2:3");
	assert_null(json_object_get(line, "huge"));
	json_decref(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_are_members),
		cmocka_unit_test(test_too_much_left_out_whole),
	};

	log_init("test", "debug");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
