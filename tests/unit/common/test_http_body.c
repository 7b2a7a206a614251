/* http_body (http.c) on a real evhttp over loopback: the length is the
 * bytes received, a trailing NUL in the body included; a second call
 * gives the same; the buffer is NUL-terminated past the body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"

/* What the handler saw. */
static struct {
	size_t len1, len2;
	char bytes[64];
	char past_end;
	bool same_ptr;
	int calls;
} seen;

static struct event_base *base;

/* Reads the body twice, keeps what it saw, answers 200. */
static void on_request(struct evhttp_request *req, void *arg)
{
	size_t len1, len2;
	const char *b1 = http_body(req, &len1), *b2 = http_body(req, &len2);
	(void)arg;

	seen.calls++;
	seen.len1 = len1;
	seen.len2 = len2;
	seen.same_ptr = b1 == b2;
	memcpy(seen.bytes, b1, len1 < sizeof(seen.bytes) ? len1 : sizeof(seen.bytes));
	seen.past_end = b1[len1];
	http_reply_text(req, 200, "text/plain", "ok");
	event_base_loopexit(base, NULL);
}

/* Sends raw bytes to a server on loopback, runs the loop until answered. */
static void roundtrip(const char *raw, size_t n)
{
	struct evhttp *http;
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sa;
	socklen_t slen = sizeof(sa);
	struct timeval limit = { 5, 0 };
	int fd;

	memset(&seen, 0, sizeof(seen));
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, on_request, NULL);
	bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	assert_non_null(bs);
	assert_int_equal(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sa, &slen),
	                 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, slen), 0);
	assert_int_equal(send(fd, raw, n, 0), (ssize_t)n);
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
	close(fd);
	evhttp_free(http);
	event_base_free(base);
	assert_int_equal(seen.calls, 1);
}

static void test_plain_body(void **state)
{
	static const char raw[] = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
	(void)state;

	roundtrip(raw, sizeof(raw) - 1);
	assert_int_equal(seen.len1, 5);
	assert_int_equal(seen.len2, 5);
	assert_true(seen.same_ptr);
	assert_memory_equal(seen.bytes, "hello", 5);
	assert_int_equal(seen.past_end, '\0');
}

/* The body's own last byte is a NUL: it stays part of the body. */
static void test_trailing_nul(void **state)
{
	static const char raw[] = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nhello";
	(void)state;

	roundtrip(raw, sizeof(raw));   /* the string's own NUL is the 6th body byte */
	assert_int_equal(seen.len1, 6);
	assert_int_equal(seen.len2, 6);
	assert_memory_equal(seen.bytes, "hello\0", 6);
	assert_int_equal(seen.past_end, '\0');
}

static void test_embedded_nul_and_chunked(void **state)
{
	static const char raw[] = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
	                          "3\r\na\0b\r\n1\r\n\0\r\n0\r\n\r\n";
	(void)state;

	roundtrip(raw, sizeof(raw) - 1);
	assert_int_equal(seen.len1, 4);
	assert_int_equal(seen.len2, 4);
	assert_memory_equal(seen.bytes, "a\0b\0", 4);
}

static void test_empty_body(void **state)
{
	static const char raw[] = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
	(void)state;

	roundtrip(raw, sizeof(raw) - 1);
	assert_int_equal(seen.len1, 0);
	assert_int_equal(seen.len2, 0);
	assert_int_equal(seen.past_end, '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_body),
		cmocka_unit_test(test_trailing_nul),
		cmocka_unit_test(test_embedded_nul_and_chunked),
		cmocka_unit_test(test_empty_body),
	};
	return cmocka_run_group_tests_name("http_body", tests, NULL, NULL);
}
